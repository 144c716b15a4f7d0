using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class OpenAlexFormatTests
{
    private readonly OpenAlexFormat format = new();

    [Fact]
    public async Task ReadAsync_ReadsEveryWorkOfTheSamplePage()
    {
        var records = await ReadRecordsAsync(format, Sample("openalex-works.json"));

        Assert.Equal(["W4390000001", "W4390000002", "W4390000003"], records.Select(r => r.OpenAlexId![^11..]));
        Assert.Equal(["record 1", "record 2", "record 3"], records.Select(r => r.Location));
        var first = records[0];
        Assert.Equal("openalex", first.Source);
        Assert.Equal("Seasonal Forecasting of River Discharge with Physics-Informed Transformers", first.Title);
        Assert.StartsWith("Seasonal river discharge forecasts guide reservoir operation, but purely", first.Abstract, StringComparison.Ordinal);
        Assert.EndsWith("which were left out of training.", first.Abstract, StringComparison.Ordinal);
        Assert.Equal(["Lucía Romero", "Wen-Jie Zhou", "Kwame Mensah"], first.Authors.Select(a => a.Name));
        Assert.Equal(["0000-0002-7194-3300", null, null], first.Authors.Select(a => a.Orcid));
        Assert.Equal(["Instituto de Hidrología Ejemplar"], first.Authors[0].Institutions);
        Assert.Equal(["openalex:A4390000201"], first.Authors[0].SourceIds);
        Assert.Equal([new ScholarFx.Core.Papers.YearCount(2024, 7), new ScholarFx.Core.Papers.YearCount(2025, 5)], first.CitationsByYear);
        Assert.Equal(["Water Science and Technology", "Artificial Intelligence"], first.Categories);
        Assert.Equal(new DateOnly(2023, 5, 22), first.Published);
        Assert.Equal(12, first.Citations);
        Assert.Equal(["doi:10.5555/sfx.2023.0522", "openalex:W4390000001"], first.Aliases().Take(2));
        // An arXiv landing page in locations gives the arXiv id; concepts stand in for missing topics.
        Assert.Equal("2403.05521v1", records[1].ArxivId);
        Assert.Equal(["Speech recognition", "Natural language processing"], records[1].Categories);
        Assert.Equal("arxiv:2403.05521", records[1].Aliases()[0]);
        Assert.Equal((5, "https://doi.org/10.5555/sfx.2025.0207"), (records[2].Citations, records[2].Doi));
    }

    [Fact]
    public async Task ReadAsync_ReadsInstitutions_PerYearCitations_AndRetraction()
    {
        const string work = """
            {
              "id": "https://openalex.org/W7",
              "title": "Seven",
              "publication_date": "2021-02-02",
              "is_retracted": true,
              "cited_by_count": 9,
              "counts_by_year": [{ "year": 2023, "cited_by_count": 5 }, { "year": 2022, "cited_by_count": 4 }],
              "authorships": [
                { "author": { "display_name": "Boyu Shi" }, "institutions": [{ "display_name": "Tsinghua University" }, { "display_name": "Tsinghua University" }] },
                { "author": { "display_name": "Chang Liu" }, "institutions": [] }
              ],
              "abstract_inverted_index": { "Seven": [0], "words.": [1] }
            }
            """;

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(work)));

        Assert.Equal(["Tsinghua University"], record.Authors[0].Institutions);
        Assert.Empty(record.Authors[1].Institutions);
        Assert.Equal([new ScholarFx.Core.Papers.YearCount(2022, 4), new ScholarFx.Core.Papers.YearCount(2023, 5)], record.CitationsByYear);
        Assert.True(record.Retracted);
    }

    [Fact]
    public async Task ReadAsync_ReadsASingleWork()
    {
        const string work = """
            {
              "id": "https://openalex.org/W1",
              "title": "One",
              "publication_date": "2020-02-02",
              "authorships": [{ "author": { "display_name": "Boyu Shi", "orcid": null } }],
              "abstract_inverted_index": { "words.": [2], "Two": [0], "little": [1] }
            }
            """;

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(work)));

        Assert.Equal("Two little words.", record.Abstract);
        Assert.Equal("record 1", record.Location);
    }

    [Fact]
    public async Task ReadAsync_StreamsALargeResultsPage()
    {
        var works = Enumerable.Range(1, 3000).Select(i =>
            $$$"""{"id":"https://openalex.org/W{{{i}}}","title":"Work {{{i}}}","publication_date":"2020-01-01","authorships":[],"abstract_inverted_index":{"Text":[0]}}""");
        var page = "{\n  \"meta\": {\"count\": 3000},\n  \"results\": [\n" + string.Join(",\n", works) + "\n  ]\n}\n";

        var items = await ReadAllAsync(format, Utf8(page));

        Assert.Equal(3000, items.Count(i => i.Record is not null));
        Assert.Equal("record 3000", items[^1].Record?.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsBadWork_AndKeepsTheOthers()
    {
        const string page = """
            {
              "meta": { "count": 3 },
              "results": [
                { "id": "https://openalex.org/W1", "title": "One", "abstract_inverted_index": { "A": [0] } },
                { "id": "https://openalex.org/W2", "title": "Two", "abstract_inverted_index": { "A": [99999999] } },
                { "id": "https://openalex.org/W3", "title": "Three", "cited_by_count": "many" },
                { "id": "https://openalex.org/W4", "title": "Four" }
              ]
            }
            """;

        var items = await ReadAllAsync(format, Utf8(page));

        Assert.Equal(["One", null, null, "Four"], items.Select(i => i.Record?.Title));
        Assert.Equal(("record 2", "record 3"), (items[1].Error?.Location, items[2].Error?.Location));
        Assert.Contains("abstract_inverted_index", items[1].Error?.Message, StringComparison.Ordinal);
        Assert.Contains("cited_by_count", items[2].Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YearOnlyWork_KeepsItsYearWithoutAMadeUpDay_ForTheMergeToDecide()
    {
        const string work = """{"id":"https://openalex.org/W1","title":"T","publication_year":2019,"authorships":[{"author":{"display_name":"A B"}}],"abstract_inverted_index":{"A":[0]}}""";
        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(work)));

        var problem = new RecordValidator(new FixedClock()).Problem(record);

        Assert.Null(record.Published);
        Assert.Equal("2019", record.PublishedPartly);
        Assert.Null(problem); // decided when matched: it may add to a stored paper, it cannot create one
    }
}
