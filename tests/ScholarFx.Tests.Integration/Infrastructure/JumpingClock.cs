namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// A clock that never sleeps: a timer (what <c>Task.Delay(delay, clock)</c> makes) moves the clock forward by its due
/// time and fires at once. Code that waits on it runs at full speed while the times it reads are those a real clock
/// would show, so a test can count requests per interval without timing anything.
/// </summary>
internal sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new JumpTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }

    private sealed class JumpTimer(JumpingClock clock, TimerCallback callback, object? state) : ITimer
    {
        private bool disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (disposed || dueTime == Timeout.InfiniteTimeSpan)
            {
                return !disposed;
            }

            if (dueTime > TimeSpan.Zero)
            {
                clock.Advance(dueTime);
            }

            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!disposed)
                {
                    callback(state);
                }
            });
            return true;
        }

        public void Dispose() => disposed = true;

        public ValueTask DisposeAsync()
        {
            disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
