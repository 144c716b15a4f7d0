using System.Globalization;
using System.Text;
using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class BibTexFormatTests
{
    private readonly BibTexFormat format = new();

    [Fact]
    public async Task ReadAsync_ReadsEveryEntryOfTheSample_SkippingStringCommentAndPreamble()
    {
        var records = await ReadRecordsAsync(format, Sample("bibtex-library.bib"));

        Assert.Equal(4, records.Count);
        var first = records[0];
        Assert.Equal("bibtex", first.Source);
        Assert.Equal("entry 1 (line 10, halvorsen2022crispr)", first.Location);
        Assert.Equal("Bayesian Optimisation of CRISPR Guide Libraries under Off-Target Constraints", first.Title);
        Assert.Equal(["Ingrid Halvorsen", "Tomás Ferreira", "Jürgen Müller"], first.Authors.Select(a => a.Name));
        Assert.Equal(new DateOnly(2022, 10, 5), first.Published);
        Assert.Equal("10.5555/sfx.2022.1005", first.Doi);
        Assert.Contains("an $\\ell_1$-penalised acquisition function", first.Abstract, StringComparison.Ordinal);
        Assert.Contains("removes 27% of high-risk guides at unchanged coverage & keeps 96–98% of", first.Abstract, StringComparison.Ordinal);
        Assert.Empty(first.Categories);

        var second = records[1];
        Assert.Equal("Long-Read DNA Methylation Calling with Attention over Raw Signal Chunks", second.Title);
        Assert.Equal(["Mette Sørensen", "François Lefèvre", "Åsa Lindqvist"], second.Authors.Select(a => a.Name));
        Assert.Equal(new DateOnly(2023, 10, 9), second.Published);
        Assert.Equal(("2310.04412", "arxiv:2310.04412"), (second.ArxivId, second.Aliases()[0]));
        Assert.Equal(["q-bio.GN"], second.Categories);

        Assert.Equal("Demand-Responsive Timetabling for the Straßenbahn Networks of Mid-Sized Cities", records[2].Title);
        Assert.Equal(["Åsa Lindqvist", "Amara Okafor"], records[2].Authors.Select(a => a.Name));
        Assert.Equal(new DateOnly(2024, 6, 12), records[2].Published);
        Assert.Contains("We formulate demand-responsive timetabling", records[2].Abstract, StringComparison.Ordinal);
        Assert.Equal("Variational Inference for Sparse Gaussian Processes on Manifolds", records[3].Title);
        Assert.Equal("arxiv:2104.11223", records[3].Aliases()[0]);
    }

    [Fact]
    public async Task ReadAsync_ReadsQuotedValuesAbbreviationsAndConcatenation()
    {
        const string bib = """
            @string{conf = "Conference on "}
            @Article(key1,
              title = "A {"}quoted{"} title with {Braces}",
              author = "Shi, Boyu and Liu, Chang and others",
              booktitle = conf # "Examples",
              date = {2021-05-06},
              abstract = "Text."
            )
            """;

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(bib)));

        Assert.Equal("A \"quoted\" title with Braces", record.Title);
        Assert.Equal(["Boyu Shi", "Chang Liu"], record.Authors.Select(a => a.Name));
    }

    [Theory]
    // As publishers export them: name/iD pairs, matched by name whatever the order.
    [InlineData("orcid-numbers = {Liu, Chang/0000-0001-5109-3700, Shi, Boyu/https://orcid.org/0000-0002-1825-0097},", "0000-0002-1825-0097|0000-0001-5109-3700|")]
    // One per author in author order, empty for none.
    [InlineData("orcid = {0000-0002-1825-0097; ; 0000-0002-1694-233X},", "0000-0002-1825-0097||0000-0002-1694-233X")]
    [InlineData("", "||")]
    public async Task ReadAsync_ReadsOrcidsWhereTheEntryGivesThem(string field, string expected)
    {
        var bib = $$"""
            @article{k,
              title = {T},
              author = {Shi, Boyu and Liu, Chang and Ada Lovelace},
              {{field}}
              date = {2021-05-06},
              abstract = {Text.}
            }
            """;

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(bib)));

        Assert.Equal(expected, string.Join('|', record.Authors.Select(a => a.Orcid)));
    }

    [Theory]
    [InlineData("{Lindqvist, Jr, Oskar}", "Oskar Lindqvist Jr")]
    [InlineData("{{World Health Organization}}", "World Health Organization")]
    [InlineData("{{Smith and Sons}, Ltd. and Jane Doe}", "Ltd. Smith and Sons|Jane Doe")]
    [InlineData("{Anne  Marie\n  AND   Lee, Kim}", "Anne Marie|Kim Lee")]
    public async Task ReadAsync_SplitsAndOrdersAuthorNames(string author, string expected)
    {
        var bib = $"@article{{k, title = {{T}}, author = {author}, date = {{2020-01-01}}, abstract = {{A}}}}";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(bib)));

        Assert.Equal(expected.Split('|'), record.Authors.Select(a => a.Name));
    }

    [Fact]
    public async Task ReadAsync_ReportsEntryWithUnbalancedBraces_AndKeepsTheEntriesAfterIt()
    {
        const string bib = """
            @article{good1, title = {One}, author = {A B}, date = {2020-01-01}, abstract = {A}}

            @article{broken, title = {Two, author = {A B}, date = {2020-01-01}, abstract = {A}

            @article{good3, title = {Three}, author = {A B}, date = {2020-01-01}, abstract = {A}}
            """;

        var items = await ReadAllAsync(format, Utf8(bib));

        Assert.Equal(["One", null, "Three"], items.Select(i => i.Record?.Title));
        Assert.Equal("entry 2 (line 3, broken)", items[1].Error?.Location);
        Assert.Contains("before the next entry at line 5", items[1].Error?.Message, StringComparison.Ordinal);
        Assert.Equal("entry 3 (line 5, good3)", items[2].Record?.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsEntryWithBadField_AndKeepsTheOthers()
    {
        const string bib = """
            @article{good1, title = {One}, author = {A B}, date = {2020-01-01}, abstract = {A}}
            @article{bad, title {Two}, author = {A B}}
            @article{month, title = {Three}, author = {A B}, year = 2020, month = {Smarch}, day = 1, abstract = {A}}
            @article{good4, title = {Four}, author = {A B}, date = {2020-01-01}, abstract = {A}}
            """;

        var items = await ReadAllAsync(format, Utf8(bib));

        Assert.Equal(["One", null, null, "Four"], items.Select(i => i.Record?.Title));
        Assert.Equal("entry 2 (line 2, bad)", items[1].Error?.Location);
        Assert.Contains("\"title\" has no '='", items[1].Error?.Message, StringComparison.Ordinal);
        Assert.Contains("\"month\" is not a month", items[2].Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReportsTheFileEndingInsideAnEntry()
    {
        const string bib = "@article{good, title = {One}, author = {A B}, date = {2020-01-01}, abstract = {A}}\n@article{cut, title = {Two";

        var items = await ReadAllAsync(format, Utf8(bib));

        Assert.Equal("One", items[0].Record?.Title);
        Assert.Contains("the file ends inside this entry", items[1].Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("year = 2020, month = mar, day = 5", "2020-03-05", null)]
    [InlineData("year = {2020}, month = {3}, day = {05}", "2020-03-05", null)]
    [InlineData("year = 2020, month = {March}", null, "2020-03")]
    [InlineData("year = 2020", null, "2020")]
    [InlineData("date = {2020-11}", null, "2020-11")]
    public async Task ReadAsync_ReadsFullDates_AndKeepsPartialOnesOnlyAsText(string fields, string? published, string? partly)
    {
        var bib = $"@article{{k, title = {{T}}, author = {{A B}}, abstract = {{A}}, {fields}}}";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(bib)));

        Assert.Equal(published, record.Published?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(partly, record.PublishedPartly);
    }

    [Fact]
    public async Task ReadAsync_ReadsAnEntryAfterAnEmailAddressInTheComments()
    {
        const string bib = "Questions to librarian@example.org please.\n@article{k, title = {T}, author = {A B}, date = {2020-01-01}, abstract = {A}}";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(bib)));

        Assert.Equal("entry 1 (line 2, k)", record.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsAnEntryLongerThanTheCap()
    {
        var bib = $"@article{{big, abstract = {{{new string('x', BibTexFormat.MaxEntryChars + 10)}}}}}\n@article{{k, title = {{T}}, author = {{A B}}, date = {{2020-01-01}}, abstract = {{A}}}}";

        var items = await ReadAllAsync(format, Utf8(bib));

        Assert.Contains("longer than", items[0].Error?.Message, StringComparison.Ordinal);
        Assert.Equal("T", items[1].Record?.Title);
    }

    [Fact]
    public async Task ReadAsync_RefusesAbbreviationsThatDoubleEachOther_AndKeepsTheOtherEntries()
    {
        // Each @string doubles the one before: 40 lines would be 2^43 characters (the 488-byte file of the review).
        var bib = new StringBuilder("@string{a0 = \"xxxxxxxx\"}\n");
        for (var i = 1; i <= 40; i++)
        {
            bib.Append(CultureInfo.InvariantCulture, $"@string{{a{i} = a{i - 1} # a{i - 1}}}\n");
        }

        // Copies of the largest allowed value fill the file's budget for abbreviations.
        for (var i = 1; i <= 5; i++)
        {
            bib.Append(CultureInfo.InvariantCulture, $"@string{{copy{i} = a17}}\n");
        }

        bib.Append("@article{boom, title = {T}, author = {A B}, date = {2020-01-01}, abstract = a17 # a17}\n");
        bib.Append("@article{k, title = {T}, author = {A B}, date = {2020-01-01}, abstract = {A}}\n");

        var items = await ReadAllAsync(format, Utf8(bib.ToString()));

        Assert.Contains("\"a18\" expands to more than 1,048,576 characters", items.First(i => i.Error is not null).Error!.Message, StringComparison.Ordinal);
        Assert.Contains(items, i => i.Error?.Message.Contains("past 4,194,304 characters", StringComparison.Ordinal) == true);
        Assert.Contains("expands to more than", Assert.Single(items, i => i.Error?.Location.Contains("boom", StringComparison.Ordinal) == true).Error!.Message, StringComparison.Ordinal);
        Assert.All(items, i => Assert.True((i.Record?.Abstract?.Length ?? 0) <= BibTexFormat.MaxEntryChars));
        Assert.Equal("A", items[^1].Record?.Abstract);
    }

    [Fact]
    public async Task ReadAsync_RefusesAnEntryWhoseFieldsTogetherExpandPastTheCap()
    {
        // One abbreviation within the file's budget, repeated in an entry until the entry would pass its own cap.
        var repeats = string.Join(" # ", Enumerable.Repeat("big", 20));
        var bib = $"@string{{big = {{{new string('y', 100_000)}}}}}\n@article{{e, title = {{T}}, author = {{A B}}, date = {{2020-01-01}}, abstract = {repeats}, note = {repeats}}}\n";

        var item = Assert.Single(await ReadAllAsync(format, Utf8(bib)));

        Assert.Contains("expands to more than 1,048,576 characters", item.Error?.Message, StringComparison.Ordinal);
    }
}
