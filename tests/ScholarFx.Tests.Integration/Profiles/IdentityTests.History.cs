using System.Text.Json;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>
/// Issue 25 part 2: every identity change is in the history of the profiles it concerns, with its source, time and
/// before/after; a curator's correction can be reverted, once, while what it set still holds, and the revert is audited.
/// </summary>
public sealed partial class IdentityTests
{
    [Fact]
    public async Task EveryCorrection_IsInTheHistoryOfTheProfilesItConcerns_WithFileCuratorAndBeforeAfter_OnceOnly()
    {
        var family = TestPapers.Unique("Curie");
        var orcid = NewOrcid();
        var (marie, maria, pierre) = ($"Marie {family}", $"Maria {family}", $"Pierre {family}");
        var (mariaId, pierreId) = (AuthorKey.FromName(maria), AuthorKey.FromName(pierre));
        var papersFile = await IngestAsync(
            Paper("Radium", [(marie, orcid)], "1902-01-01"),
            Paper("Polonium", [(maria, null)], "1898-07-01", id: "sfx:polonium-" + family),
            Paper("Magnetism", [(pierre, null)], "1895-01-01", id: "sfx:magnetism-" + family));
        var corrections = JsonSerializer.Serialize(new
        {
            scholarfxIdentity = new object[]
            {
                new { merge = new[] { mariaId }, into = orcid },
                new { move = new[] { "sfx:magnetism-" + family }, from = pierreId, to = pierreId + "-2" },
                new { variant = $"M. Sklodowska {family}", orcid },
            },
        });

        var outcome = await CurateAsync(corrections);

        var ofOrcid = await HistoryAsync(orcid);
        var merge = Assert.Single(ofOrcid, e => e.Kind == IdentityChange.Merge);
        Assert.Equal(("tester", $"{outcome.Id} correction 1", 1), (merge.Curator, merge.Source, merge.PapersMoved));
        Assert.Equal(["sfx:polonium-" + family], merge.Papers);
        Assert.Equal((null, orcid), (merge.Before[mariaId], merge.After[mariaId]));
        Assert.InRange(merge.Time, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal($"{outcome.Id} correction 3", Assert.Single(ofOrcid, e => e.Kind == IdentityChange.Variant).Source);
        // The record that first joined the name to the ORCID, by file and line.
        Assert.Equal($"abstracts/{papersFile} line 1", Assert.Single(ofOrcid, e => e.Kind == IdentityChange.OrcidLink).Source);
        Assert.Contains(await HistoryAsync(mariaId), e => e.Id == merge.Id);
        var move = Assert.Single(await HistoryAsync(pierreId + "-2"));
        var moved = $"sfx:magnetism-{family}|{pierreId}";
        Assert.Equal((IdentityChange.Move, null, pierreId + "-2"), (move.Kind, move.Before[moved], move.After[moved]));
        Assert.Contains(await HistoryAsync(pierreId), e => e.Id == move.Id);

        // The same file again changes nothing, so adds nothing.
        await CurateAsync(corrections);
        Assert.Equal(ofOrcid.Count, (await HistoryAsync(orcid)).Count);
    }

    [Fact]
    public async Task ARevertedMerge_PutsThePapersBack_IsItselfInTheHistory_AndIsRefusedASecondTime()
    {
        var (first, second) = ("Ada " + TestPapers.Unique("Byron"), "Ada " + TestPapers.Unique("King"));
        var (firstId, secondId) = (AuthorKey.FromName(first), AuthorKey.FromName(second));
        await IngestAsync(Paper("Notes", [(first, null)], "1843-01-01"), Paper("Letters", [(second, null)], "1844-01-01"));
        await CurateAsync(JsonSerializer.Serialize(new { scholarfxIdentity = new object[] { new { merge = new[] { firstId }, into = secondId } } }));
        Assert.Equal(["Letters", "Notes"], await TitlesAsync(secondId));
        var merge = (await HistoryAsync(secondId))[0];

        var outcome = await History.RevertAsync(merge.Id, "second curator", CancellationToken.None);

        Assert.Equal((RevertStatus.Reverted, 1), (outcome.Status, outcome.PapersMoved));
        Assert.Equal(["Notes"], await TitlesAsync(firstId));
        Assert.Equal(["Letters"], await TitlesAsync(secondId));
        var history = await HistoryAsync(secondId);
        var revert = history[0];
        Assert.Equal((IdentityChange.Revert, merge.Id, "second curator", false), (revert.Kind, revert.RevertOf, revert.Curator, revert.Revertible));
        Assert.Equal((secondId, null), (revert.Before[firstId], revert.After[firstId]));
        Assert.Equal((revert.Id, false), (history[1].RevertedBy, history[1].Revertible));
        Assert.Contains(await HistoryAsync(firstId), e => e.Id == revert.Id);

        Assert.Equal(RevertStatus.Conflict, (await History.RevertAsync(merge.Id, "tester", CancellationToken.None)).Status);
        Assert.Equal(RevertStatus.Conflict, (await History.RevertAsync(revert.Id, "tester", CancellationToken.None)).Status);
        Assert.Equal(RevertStatus.NotFound, (await History.RevertAsync("0000000000000000000-000000000000@" + firstId, "tester", CancellationToken.None)).Status);
        Assert.Equal(RevertStatus.NotFound, (await History.RevertAsync("not an entry", "tester", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task AMoveCannotBeRevertedWhileALaterMoveHolds_AndRevertedInTurn_PutsTheAuthorBackStepByStep()
    {
        var name = "Wei " + TestPapers.Unique("Zhang");
        var (nameId, paperId) = (AuthorKey.FromName(name), "sfx:" + TestPapers.Unique("moved"));
        await IngestAsync(Paper("Moved", [(name, null)], "2020-01-01", id: paperId));
        await CurateAsync(JsonSerializer.Serialize(new { scholarfxIdentity = new object[] { new { move = new[] { paperId }, from = nameId, to = nameId + "-2" } } }));
        await CurateAsync(JsonSerializer.Serialize(new { scholarfxIdentity = new object[] { new { move = new[] { paperId }, from = nameId, to = nameId + "-3" } } }));
        var secondMove = Assert.Single(await HistoryAsync(nameId + "-3"));
        var firstMove = Assert.Single(await HistoryAsync(nameId + "-2"), e => e.After.Values.Single() == nameId + "-2");

        var refused = await History.RevertAsync(firstMove.Id, "tester", CancellationToken.None);

        Assert.Equal(RevertStatus.Conflict, refused.Status);
        Assert.Contains($"is now '{nameId}-3'", refused.Problem, StringComparison.Ordinal);
        Assert.Equal(["Moved"], await TitlesAsync(nameId + "-3"));

        Assert.Equal(RevertStatus.Reverted, (await History.RevertAsync(secondMove.Id, "tester", CancellationToken.None)).Status);
        Assert.Equal(["Moved"], await TitlesAsync(nameId + "-2"));
        Assert.Equal(RevertStatus.Reverted, (await History.RevertAsync(firstMove.Id, "tester", CancellationToken.None)).Status);
        Assert.Equal(["Moved"], await TitlesAsync(nameId));
    }

    [Fact]
    public async Task PapersMovedByTheCoAuthorRule_AreInTheHistory_WithTheRecordThatLinkedTheOrcid()
    {
        var name = "Ada " + TestPapers.Unique("Lovelace");
        var colleague = TestPapers.Unique("Charles Babbage");
        var (orcid, notes) = (NewOrcid(), "sfx:" + TestPapers.Unique("notes"));
        await IngestAsync(Paper("Notes", [(name, null), (colleague, null)], "2021-01-01", id: notes));

        var linking = await IngestAsync(Paper("Engine", [(colleague, null), (name, orcid)], "2022-01-01"));

        var moved = Assert.Single(await HistoryAsync(orcid), e => e.Kind == IdentityChange.CoAuthorMove);
        Assert.Equal([notes], moved.Papers);
        Assert.Equal((1, $"abstracts/{linking} line 1"), (moved.PapersMoved, moved.Source));
        Assert.Equal((AuthorKey.FromName(name), orcid), (moved.Before[notes], moved.After[notes]));
        Assert.Contains(await HistoryAsync(AuthorKey.FromName(name)), e => e.Id == moved.Id);
    }

    /// <summary>The whole history of a profile, newest first, read a page of two at a time (so paging is exercised).</summary>
    private async Task<List<IdentityChange>> HistoryAsync(string id)
    {
        var entries = new List<IdentityChange>();
        string? cursor = null;
        do
        {
            var page = await History.GetPageAsync(id, cursor, 2, CancellationToken.None);
            Assert.Null(page.Problem);
            if (page.Value is null)
            {
                return entries;
            }

            entries.AddRange(page.Value.Items);
            cursor = page.Value.Next is { } next ? System.Web.HttpUtility.ParseQueryString(new Uri("http://h" + next).Query)["cursor"] : null;
        }
        while (cursor is not null);

        return entries;
    }
}
