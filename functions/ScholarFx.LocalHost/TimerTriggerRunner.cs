using System.Globalization;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace ScholarFx.LocalHost;

/// <summary>Runs each timer-triggered function on its schedule (6-field NCRONTAB, or a TimeSpan), resolving <c>%Setting%</c> names.</summary>
public sealed class TimerTriggerRunner(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<TimerTriggerRunner> logger) : BackgroundService
{
    /// <summary>Resolves <c>%Name%</c> from configuration, as the Functions host does.</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration)
    {
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            var name = schedule[1..^1];
            return configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"Timer schedule setting '{name}' is not configured.");
        }

        return schedule;
    }

    /// <summary>The next time a schedule fires after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextOccurrence(string schedule, DateTimeOffset now)
    {
        if (TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out var interval) && schedule.Contains(':', StringComparison.Ordinal))
        {
            return now + interval;
        }

        var format = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.Parse(schedule, format).GetNextOccurrence(now, TimeZoneInfo.Utc)
            ?? throw new InvalidOperationException($"Schedule '{schedule}' never fires.");
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly).Where(f => f.Timer is not null).ToList();
        await Task.WhenAll(timers.Select(t => RunAsync(t, stoppingToken)));
    }

    private async Task RunAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var schedule = ResolveSchedule(function.Timer!.Schedule, configuration);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = NextOccurrence(schedule, clock.GetUtcNow());
            logger.LogInformation("Timer function {Function} next runs at {Next:u} (schedule {Schedule})", function.Name, next, schedule);
            try
            {
                var wait = next - clock.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = clock.GetUtcNow().UtcDateTime, Next = NextOccurrence(schedule, clock.GetUtcNow()).UtcDateTime } };
                await FunctionCatalog.InvokeAsync(function, services, timer, new Dictionary<string, string?>(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Timer function {Function} failed", function.Name);
            }
        }
    }
}
