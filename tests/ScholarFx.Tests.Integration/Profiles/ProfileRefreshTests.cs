using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>
/// Issue 22, part 5: a profile follows what it is computed from even when none of its papers changed — its `recent`
/// figures when the year turns — once the nightly rescore has run; a rescore with nothing to change writes nothing.
/// </summary>
public sealed class ProfileRefreshTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task WhenTheYearTurns_TheNightlyRescore_RendersRecentAgain_AndASecondRescoreChangesNoProfile()
    {
        var clock = new MovableClock { Now = new DateTimeOffset(2026, 12, 30, 12, 0, 0, TimeSpan.Zero) };
        using var host = fixture.BuildHost(configure: b =>
        {
            b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>();
            b.Services.AddSingleton<TimeProvider>(clock);
        });
        var author = TestPapers.Unique("Refresh Author");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("refresh") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("Refreshed early " + author, [author], "2021-05-01", citations: 4),
            TestPapers.Paper("Refreshed late " + author, [author], "2024-05-01", citations: 2))), host.Services);
        // Settled: the rescore below has no score to change, so only the refresh can render the profile again.
        await host.Services.GetRequiredService<ScholarFx.Core.Settle.SettleService>().SettleAsync(everything: false, CancellationToken.None);
        var profiles = host.Services.GetRequiredService<IProfileQueries>();
        async Task<JsonElement> RecentAsync()
        {
            var json = (await profiles.GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None))!.Json;
            return JsonDocument.Parse(json).RootElement.GetProperty("recent");
        }

        Assert.Equal((2021, 2), ((await RecentAsync()).GetProperty("since").GetInt32(), (await RecentAsync()).GetProperty("paperCount").GetInt32()));

        // A new year: no paper of the author changes, the profile still says "since 2021" until the rescore.
        clock.Now = new DateTimeOffset(2027, 1, 2, 3, 0, 0, TimeSpan.Zero);
        var rescore = host.Services.GetRequiredService<IRescoreService>();
        await rescore.RunAsync(recomputeAll: false, CancellationToken.None);

        var recent = await RecentAsync();
        Assert.Equal(2022, recent.GetProperty("since").GetInt32());
        Assert.Equal(1, recent.GetProperty("paperCount").GetInt32());
        Assert.Equal(2, recent.GetProperty("citationCount").GetInt32());

        // Nothing moved since: rendering every profile again writes none.
        Assert.Equal(0, await host.Services.GetRequiredService<ProfileRefresh>().RefreshAllAsync(CancellationToken.None));
    }

    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
