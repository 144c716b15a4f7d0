using ScholarFx.Core.Profiles;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class AuthorChangesTests
{
    private static readonly DateOnly Published = new(2024, 3, 1);

    [Fact]
    public void AuthorChanges_UpsertsRowForEveryAuthor_OfNewPaper()
    {
        var after = Paper("Boyu Shi", "Chang Liu");

        var changes = AuthorRows.Changes(null, after).ToList();

        Assert.Equal(["boyu-shi", "chang-liu"], changes.Select(c => c.AuthorId));
        Assert.All(changes, c => Assert.Null(c.DeleteRowKey));
        Assert.All(changes, c => Assert.Equal("arxiv:2303.11698", c.Upsert?.Id));
    }

    [Fact]
    public void AuthorChanges_FillsRowFromPaper()
    {
        var after = Paper("Boyu Shi", "Chang Liu") with
        {
            Citations = 13,
            Scores = new PaperScores(new Score(71.5, null, "m", "1"), Score.NotScored),
        };

        var row = AuthorRows.Changes(null, after).Last().Upsert;

        Assert.NotNull(row);
        Assert.Equal("Deep Nets", row.Title);
        Assert.Equal(["Boyu Shi", "Chang Liu"], row.Authors);
        Assert.Equal(2, row.AuthorCount);
        Assert.Equal("cs.LG", row.Category);
        Assert.Equal(Published, row.Published);
        Assert.Equal(13, row.Citations);
        Assert.Equal(71.5, row.Novelty);
        Assert.Null(row.AiScore);
        Assert.Equal("Chang Liu", row.AuthorName);
    }

    [Fact]
    public void AuthorChanges_CutsLongAuthorListButKeepsCount()
    {
        var names = Enumerable.Range(1, AuthorStore.AuthorsPerRow + 5).Select(i => $"Author Number{i}").ToArray();
        var after = Paper(names);

        var row = AuthorRows.Changes(null, after).First().Upsert;

        Assert.Equal(AuthorStore.AuthorsPerRow, row?.Authors.Count);
        Assert.Equal(names.Length, row?.AuthorCount);
    }

    [Fact]
    public void AuthorChanges_UpsertsOnce_ForAuthorListedTwice()
    {
        var after = Paper("Boyu Shi", "Shi, Boyu", "Chang Liu");

        var changes = AuthorRows.Changes(null, after).ToList();

        Assert.Equal(["boyu-shi", "chang-liu"], changes.Select(c => c.AuthorId));
    }

    [Fact]
    public void AuthorChanges_DeletesRow_OfAuthorRemovedFromPaper()
    {
        var before = Paper("Boyu Shi", "Chang Liu");
        var after = Paper("Boyu Shi");

        var changes = AuthorRows.Changes(before, after).ToList();

        var delete = Assert.Single(changes, c => c.DeleteRowKey is not null);
        Assert.Equal("chang-liu", delete.AuthorId);
        Assert.Equal(AuthorStore.PaperRowKey(Published, "arxiv:2303.11698"), delete.DeleteRowKey);
        Assert.Null(delete.Upsert);
        Assert.Equal(["boyu-shi"], changes.Where(c => c.Upsert is not null).Select(c => c.AuthorId));
    }

    [Fact]
    public void AuthorChanges_DeletesNothing_WhenAuthorsAndDateAreUnchanged()
    {
        var before = Paper("Boyu Shi", "Chang Liu");
        var after = before with { Citations = 20 };

        var changes = AuthorRows.Changes(before, after).ToList();

        Assert.All(changes, c => Assert.Null(c.DeleteRowKey));
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void AuthorChanges_DeletesOldRowKeyOfEveryAuthor_WhenDateChanges()
    {
        var before = Paper("Boyu Shi", "Chang Liu");
        var after = before with { Published = new DateOnly(2023, 12, 30) };

        var changes = AuthorRows.Changes(before, after).ToList();

        var oldKey = AuthorStore.PaperRowKey(Published, before.Id);
        Assert.Equal(["boyu-shi", "chang-liu"], changes.Where(c => c.DeleteRowKey == oldKey).Select(c => c.AuthorId));
        Assert.Equal(["boyu-shi", "chang-liu"], changes.Where(c => c.Upsert is not null).Select(c => c.AuthorId));
        Assert.All(changes.Where(c => c.Upsert is not null), c => Assert.Equal(new DateOnly(2023, 12, 30), c.Upsert!.Published));
    }

    [Fact]
    public void AuthorChanges_UpsertsAuthorAddedToPaper()
    {
        var before = Paper("Boyu Shi");
        var after = Paper("Boyu Shi", "Chang Liu");

        var changes = AuthorRows.Changes(before, after).ToList();

        Assert.Equal(["boyu-shi", "chang-liu"], changes.Where(c => c.Upsert is not null).Select(c => c.AuthorId));
        Assert.DoesNotContain(changes, c => c.DeleteRowKey is not null);
    }

    [Fact]
    public void ARetractedPaper_MovesToTheRetractedRows_AndAReinstatedOneComesBack()
    {
        var live = Paper("Boyu Shi", "Chang Liu");
        var retracted = live with { Retracted = true };
        var paperKey = AuthorStore.PaperRowKey(Published, "arxiv:2303.11698");
        var retractedKey = AuthorStore.RetractedRowKey(Published, "arxiv:2303.11698");

        var leaving = AuthorRows.Changes(live, retracted).ToList();
        Assert.Equal([("boyu-shi", paperKey), ("chang-liu", paperKey)], leaving.Where(c => c.Upsert is null).Select(c => (c.AuthorId, c.DeleteRowKey!)));
        Assert.Equal([("boyu-shi", retractedKey), ("chang-liu", retractedKey)], leaving.Where(c => c.Upsert is not null).Select(c => (c.AuthorId, c.Upsert!.RowKey)));
        Assert.All(leaving.Where(c => c.Upsert is not null), c => Assert.True(c.Upsert!.Retracted));
        Assert.NotEqual(paperKey, retractedKey);

        // Still retracted: its rows are rewritten in place, nothing moves.
        Assert.DoesNotContain(AuthorRows.Changes(retracted, retracted with { Citations = 5 }), c => c.Upsert is null);

        var back = AuthorRows.Changes(retracted, live).ToList();
        Assert.Equal([("boyu-shi", retractedKey), ("chang-liu", retractedKey)], back.Where(c => c.Upsert is null).Select(c => (c.AuthorId, c.DeleteRowKey!)));
        Assert.All(back.Where(c => c.Upsert is not null), c => Assert.Equal(paperKey, c.Upsert!.RowKey));
    }

    [Fact]
    public void Rows_CarryEachAuthorsOwnInstitutions_AndThePapersPerYearCitations()
    {
        var paper = Paper("Boyu Shi", "Chang Liu") with
        {
            Authors = [new PaperAuthor("Boyu Shi", null, ["Tsinghua University"]), new PaperAuthor("Chang Liu")],
            Citations = 7,
            CitationsByYear = [new YearCount(2024, 3), new YearCount(2025, 4)],
        };

        var rows = AuthorRows.Changes(null, paper).Select(c => c.Upsert!).ToList();

        Assert.Equal(["Tsinghua University"], rows[0].Affiliations);
        Assert.Null(rows[1].Affiliations);
        Assert.All(rows, r => Assert.Equal([new YearCount(2024, 3), new YearCount(2025, 4)], r.CitationsByYear));
    }

    [Fact]
    public void Reprojection_DeletesTheRowsTheLastChangeRetired_ButNotOnesTheAuthorsHaveAgain()
    {
        var before = Paper("Boyu Shi", "Chang Liu");
        var after = Paper("Boyu Shi") with { Published = Published.AddDays(1) };
        var stored = after with { RetiredRows = AuthorRows.Retired(before, after) };

        var changes = AuthorRows.Reprojection(stored).ToList();

        var oldKey = AuthorStore.PaperRowKey(Published, before.Id);
        Assert.Equal([("boyu-shi", oldKey), ("chang-liu", oldKey)], stored.RetiredRows.Select(r => (r.AuthorId, r.RowKey)).Order());
        Assert.Equal(["boyu-shi"], changes.Where(c => c.Upsert is not null).Select(c => c.AuthorId));
        Assert.Equal([("boyu-shi", oldKey), ("chang-liu", oldKey)], changes.Where(c => c.Upsert is null).Select(c => (c.AuthorId, c.DeleteRowKey!)).Order());

        // A row retired earlier that the paper has again (same author, same date) is not deleted.
        var back = stored with { Published = Published };
        Assert.DoesNotContain(AuthorRows.Reprojection(back), c => c.Upsert is null && c.AuthorId == "boyu-shi");
    }

    private static Paper Paper(params string[] authors) => new()
    {
        Id = "arxiv:2303.11698",
        Title = "Deep Nets",
        Abstract = "We study deep nets.",
        Authors = [.. authors.Select(a => new PaperAuthor(AuthorKey.DisplayName(a)))],
        Categories = ["cs.LG", "stat.ML"],
        Published = Published,
        Aliases = ["arxiv:2303.11698"],
        Sources = ["scholarfx-json"],
        ContentHash = PaperIdentity.ContentHash("Deep Nets", "We study deep nets."),
    };
}
