using System.Net;
using ScholarFx.Core.Papers;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Harvest;

/// <summary>
/// The LocalHost as a deployment runs it, with an arXiv source pointed at the local fake: its timer harvests, the blob
/// trigger ingests what was harvested, and a later run brings in what the source added — no file dropped by hand.
/// </summary>
public sealed class LocalHostHarvestTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ALocalHostWithASource_FillsItselfAndKeepsCurrent_WithNoFileDroppedByHand()
    {
        await using var server = await FakeHarvestServer.StartAsync(TimeProvider.System);
        var papers = Enumerable.Range(0, 3).Select(i => Paper(i)).ToList();
        server.ArxivPages = [[papers[0], papers[1]], [papers[2]]];
        await using var host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>
        {
            ["LocalHost:BlobPollInterval"] = "00:00:00.200",
            ["Harvest:Arxiv:Endpoint"] = new Uri(server.BaseAddress, "oai").ToString(),
            ["Harvest:Arxiv:Schedule"] = "*/2 * * * * *",
            ["Harvest:Arxiv:IntervalSeconds"] = "0",
            ["Harvest:Arxiv:From"] = "2026-01-01",
        });

        await ProfileAsync(host, papers[0]);
        await ProfileAsync(host, papers[2]);

        // The source gains a paper: a later timer run brings it in.
        var later = Paper(3);
        server.ArxivPages = [[papers[0], papers[1]], [papers[2], later]];
        await ProfileAsync(host, later);

        var health = await host.Http.GetStringAsync("/api/health");
        Assert.Contains("\"source\":\"arxiv\"", health, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Status >= 500);
    }

    private static FakePaper Paper(int i) => new(
        $"2602.{Random.Shared.Next(10000, 99999)}", $"Self-harvested paper {i} {Guid.NewGuid():N}", "Ada", TestPapers.Unique("Selfharvest"),
        new DateOnly(2026, 2, 1).AddDays(i), $"We study self-harvested paper {i} and report what we find.");

    private static async Task ProfileAsync(RunningLocalHost host, FakePaper paper)
    {
        var id = AuthorKey.FromName($"{paper.Forenames} {paper.Surname}");
        // Generous: a timer period, the politeness gate, the blob poll and an ingest, on a busy machine.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await host.Http.GetAsync($"/api/profiles/{id}")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{paper.Title} was not harvested and ingested within 120 s");
            await Task.Delay(250);
        }
    }
}
