namespace ScholarFx.Tests.Unit;

/// <summary>A clock that always reads the same instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2026, 5, 10, 12, 0, 0, TimeSpan.Zero);

    public FixedClock()
        : this(Default)
    {
    }

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
