using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>Issue 13: careers over time and affiliations, from what OpenAlex and arXiv files give, through ingest.</summary>
public sealed class CareerProfileTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task OpenAlexCountsByYearAndInstitutions_BecomeTheProfilesYears_RecentWindow_AndAffiliations()
    {
        var author = TestPapers.Unique("Career Author");
        var works = JsonSerializer.Serialize(new object[]
        {
            Work(author, "2016-03-01", 30, [(2019, 10), (2022, 12), (2024, 8)], "Old University"),
            Work(author, "2023-06-01", 11, [(2024, 6), (2025, 5)], "New Institute"),
        });

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("career") + ".json", works));

        Assert.Equal(("openalex", 2), (receipt.Format, receipt.PapersCreated));
        var profile = await ProfileAsync(author);
        var years = profile.GetProperty("countsByYear").EnumerateArray()
            .Select(y => (y.GetProperty("year").GetInt32(), y.GetProperty("papers").GetInt32(), y.GetProperty("citations").GetInt32())).ToList();
        Assert.Equal([(2016, 1, 0), (2019, 0, 10), (2022, 0, 12), (2023, 1, 0), (2024, 0, 14), (2025, 0, 5)], years);
        // Every cited paper has per-year counts: Google Scholar's "since" — citations received since then, by all papers.
        var since = DateTime.UtcNow.Year - 5;
        var recent = profile.GetProperty("recent");
        Assert.Equal(since, recent.GetProperty("since").GetInt32());
        Assert.Equal("citationsReceived", recent.GetProperty("basis").GetString());
        var received = new[] { (2019, 10), (2022, 12), (2024, 8), (2024, 6), (2025, 5) }.Where(c => c.Item1 >= since).Sum(c => c.Item2);
        Assert.Equal(received, recent.GetProperty("citationCount").GetInt32());
        Assert.Equal(["New Institute", "Old University"], profile.GetProperty("affiliations").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(2023, profile.GetProperty("affiliations")[0].GetProperty("firstYear").GetInt32());
    }

    [Fact]
    public async Task AnArxivFeedsAffiliations_ReachTheProfile()
    {
        var author = TestPapers.Unique("Feed Author");
        var arxivId = "2501." + Random.Shared.Next(10000, 99999);
        var feed = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
              <entry>
                <id>http://arxiv.org/abs/{arxivId}v1</id>
                <published>2025-01-15T10:00:00Z</published>
                <title>Affiliated work of {author}</title>
                <summary>We study where authors work.</summary>
                <author><name>{author}</name><arxiv:affiliation>Feed Lab</arxiv:affiliation></author>
                <arxiv:primary_category term="cs.CL"/>
              </entry>
            </feed>
            """;

        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("feed") + ".xml", feed));

        var affiliation = Assert.Single((await ProfileAsync(author)).GetProperty("affiliations").EnumerateArray());
        Assert.Equal(("Feed Lab", 2025, 2025, 1), (affiliation.GetProperty("name").GetString(), affiliation.GetProperty("firstYear").GetInt32(), affiliation.GetProperty("lastYear").GetInt32(), affiliation.GetProperty("papers").GetInt32()));
    }

    [Fact]
    public async Task EachPaper_HasItsCitationPercentileAmongItsYear_AndTheProfileTheirMean()
    {
        // Only this test publishes papers in 1931, so the year's cohort is exactly these three (below the minimum
        // cohort of 200 for the category and year, so the whole year is the reference, and the response says so).
        var (ada, bo) = (TestPapers.Unique("Percentile Ada"), TestPapers.Unique("Percentile Bo"));
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("percentile") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("Uncited " + ada, [ada], "1931-01-01", citations: 0, category: "math.PR"),
            TestPapers.Paper("Cited " + ada, [ada], "1931-02-01", citations: 10, category: "cs.CL"),
            TestPapers.Paper("Most cited " + bo, [bo], "1931-03-01", citations: 20, category: "cs.CL"),
            TestPapers.Paper("Unknown count " + ada, [ada], "1931-04-01", category: "cs.CL"))));

        var profile = await ProfileAsync(ada);

        var papers = profile.GetProperty("papers").EnumerateArray().ToDictionary(p => p.GetProperty("title").GetString()!.Split(' ')[0], p => p.GetProperty("citationPercentile"));
        Assert.Equal(16.7, papers["Uncited"].GetProperty("value").GetDouble()); // (0 below + ½) / 3
        Assert.Equal(50.0, papers["Cited"].GetProperty("value").GetDouble()); // (1 below + ½) / 3
        Assert.Equal(("year", 3), (papers["Cited"].GetProperty("set").GetString(), papers["Cited"].GetProperty("size").GetInt32()));
        Assert.False(papers["Unknown"].TryGetProperty("value", out _));
        Assert.Equal("no source gave a citation count", papers["Unknown"].GetProperty("reason").GetString());
        var impact = profile.GetProperty("citationImpact");
        Assert.Equal((33.4, 2), (impact.GetProperty("meanPercentile").GetDouble(), impact.GetProperty("papers").GetInt32()));
    }

    private async Task<JsonElement> ProfileAsync(string author)
    {
        var profile = await fixture.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None);
        return JsonDocument.Parse(profile!.Json).RootElement;
    }

    private static object Work(string author, string date, int cited, (int Year, int Count)[] byYear, string institution) => new Dictionary<string, object?>
    {
        ["id"] = "https://openalex.org/W" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999),
        ["title"] = $"Work of {author} from {date}",
        ["publication_date"] = date,
        ["cited_by_count"] = cited,
        ["counts_by_year"] = byYear.Select(y => new { year = y.Year, cited_by_count = y.Count }).ToArray(),
        ["authorships"] = new[] { new { author = new { display_name = author }, institutions = new[] { new { display_name = institution } } } },
        ["abstract_inverted_index"] = new Dictionary<string, int[]> { ["We"] = [0], ["study"] = [1], [date] = [2] },
    };
}
