using Microsoft.Extensions.Configuration;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Functions;

public sealed class TimerScheduleTests
{
    [Fact]
    public void SixFieldSchedule_NextRunIsTwoAmUtc()
    {
        var next = TimerTriggerRunner.NextOccurrence("0 0 2 * * *", new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void PercentSetting_IsResolvedFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RescoreSchedule"] = "0 30 1 * * *" }).Build();

        Assert.Equal("0 30 1 * * *", TimerTriggerRunner.ResolveSchedule("%RescoreSchedule%", configuration));
    }

    [Fact]
    public void MissingScheduleSetting_FailsClearly()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => TimerTriggerRunner.ResolveSchedule("%RescoreSchedule%", configuration));
        Assert.Contains("RescoreSchedule", error.Message);
    }
}
