using System.Text.Json;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>
/// Issue 25 part 3: a record cannot put a paper in someone else's profile by naming their ORCID iD. A claim for a name
/// that shares no family name with the ORCID's known names stays with the name's profile, shown unconfirmed, until a
/// curator confirms it; variants of the family name join as before.
/// </summary>
public sealed partial class IdentityTests
{
    [Fact]
    public async Task AKnownOrcidAttachedToAnUnrelatedName_IsNotJoined_ItsClaimShowsUnconfirmed_AndVariantsOfTheFamilyNameStillJoin()
    {
        var family = TestPapers.Unique("Bedi");
        var orcid = NewOrcid();
        var stranger = "Jane " + TestPapers.Unique("Roe");
        await IngestAsync(Paper("Bandits", [($"Amrit S. {family}", orcid)], "2023-01-01"));

        var hijack = await IngestAsync(Paper("Hijack", [(stranger, orcid), (TestPapers.Unique("Accomplice"), null)], "2024-01-01"));
        await IngestAsync(Paper("Regret", [($"Amrit Singh {family}", orcid)], "2024-02-01"));

        Assert.Equal(["Regret", "Bandits"], await TitlesAsync(orcid));
        var claimant = await ProfileAsync(AuthorKey.FromName(stranger));
        Assert.Equal(["Hijack"], Titles(claimant));
        Assert.Equal([orcid], claimant.GetProperty("unconfirmedOrcids").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(JsonValueKind.Null, claimant.GetProperty("orcid").ValueKind);
        Assert.Empty(claimant.GetProperty("externalIds").EnumerateArray());
        Assert.Empty((await ProfileAsync(orcid)).GetProperty("unconfirmedOrcids").EnumerateArray());
        // The paper says whom the source named, and that the claim was not joined.
        var paperId = claimant.GetProperty("papers")[0].GetProperty("id").GetString()!;
        var author = JsonSerializer.SerializeToElement((await Papers.GetPaperAsync(paperId, CancellationToken.None))!.Authors[0], ScholarFx.Core.ScholarFxJson.Options);
        Assert.Equal((orcid, AuthorKey.FromName(stranger), true), (author.GetProperty("orcid").GetString(), author.GetProperty("id").GetString(), author.GetProperty("orcidUnconfirmed").GetBoolean()));
        // The claim is in the history of both profiles, with the file and line of the record that made it.
        var claim = Assert.Single(await HistoryAsync(AuthorKey.FromName(stranger)));
        Assert.Equal((IdentityChange.OrcidClaimUnconfirmed, orcid, $"abstracts/{hijack} line 1", false), (claim.Kind, claim.Orcid, claim.Source, claim.Revertible));
        Assert.Contains(await HistoryAsync(orcid), e => e.Id == claim.Id);
        // Both variants were joined by records, the first as the ORCID's first name.
        Assert.Equal(
            [AuthorKey.FromName($"Amrit S. {family}"), AuthorKey.FromName($"Amrit Singh {family}")],
            (await HistoryAsync(orcid)).Where(e => e.Kind == IdentityChange.OrcidLink).Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ACuratorsConfirmation_JoinsTheClaim_IsAudited_AndItsRevertLeavesTheClaimUnconfirmedAgain()
    {
        var orcid = NewOrcid();
        var stranger = "Jane " + TestPapers.Unique("Roe");
        await IngestAsync(Paper("Looms", [("Ada " + TestPapers.Unique("Lovelace"), orcid)], "2021-01-01"));
        await IngestAsync(Paper("Claimed", [(stranger, orcid)], "2022-01-01"));
        Assert.Equal(["Looms"], await TitlesAsync(orcid));

        var outcome = await CurateAsync(JsonSerializer.Serialize(new { scholarfxIdentity = new object[] { new { confirm = orcid, name = stranger } } }));

        Assert.Equal((1, 1), (outcome.Applied, outcome.PapersMoved));
        Assert.Equal(["Claimed", "Looms"], await TitlesAsync(orcid));
        Assert.Empty((await ProfileAsync(orcid)).GetProperty("unconfirmedOrcids").EnumerateArray());
        var confirm = (await HistoryAsync(orcid))[0];
        Assert.Equal((IdentityChange.Confirm, "tester", $"{outcome.Id} correction 1", true), (confirm.Kind, confirm.Curator, confirm.Source, confirm.Revertible));

        var revert = await History.RevertAsync(confirm.Id, "tester", CancellationToken.None);

        Assert.Equal((RevertStatus.Reverted, 1), (revert.Status, revert.PapersMoved));
        Assert.Equal(["Looms"], await TitlesAsync(orcid));
        Assert.Equal([orcid], (await ProfileAsync(AuthorKey.FromName(stranger))).GetProperty("unconfirmedOrcids").EnumerateArray().Select(o => o.GetString()));
    }
}
