using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>
/// Issue 13, identity (docs/identity.md): ORCIDs join name variants and split namesakes, names without one follow
/// their co-authors, curators' corrections move papers and keep old ids resolving.
/// </summary>
public sealed partial class IdentityTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IProfileQueries Profiles => fixture.Services.GetRequiredService<IProfileQueries>();

    private IPaperQueries Papers => fixture.Services.GetRequiredService<IPaperQueries>();

    private ScholarFx.Core.Identity.IIdentityHistory History => fixture.Services.GetRequiredService<ScholarFx.Core.Identity.IIdentityHistory>();

    [Fact]
    public async Task NameVariantsWithOneOrcid_AreOneProfile_AndTheVariantsIdsLeadToIt()
    {
        var family = TestPapers.Unique("Bedi");
        var orcid = NewOrcid();
        await IngestAsync(
            Paper("Bandits", [($"Amrit S. {family}", orcid), ("Coauthor One", null)], "2023-01-01", citations: 5),
            Paper("Regret", [($"Amrit Singh {family}", orcid)], "2024-01-01", citations: 3));

        var profile = await ProfileAsync(orcid);

        Assert.Equal(2, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(orcid, profile.GetProperty("orcid").GetString());
        Assert.Equal(["orcid:" + orcid], profile.GetProperty("externalIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"Amrit S. {family}", $"Amrit Singh {family}"], profile.GetProperty("nameVariants").EnumerateArray().Select(n => n.GetString()).Order());
        // The author is not their own co-author, though their profile's id is not their name.
        Assert.Equal(["coauthor-one"], profile.GetProperty("coAuthors").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(orcid, (await Profiles.GetProfileAsync(AuthorKey.FromName($"Amrit S. {family}"), CancellationToken.None))!.MovedTo);
        Assert.Equal(orcid, (await Profiles.GetProfileAsync(AuthorKey.FromName($"Amrit Singh {family}"), CancellationToken.None))!.MovedTo);
    }

    [Fact]
    public async Task OneNameWithTwoOrcids_IsTwoProfiles_AndAPaperWithoutOneFollowsTheCoAuthorItShares()
    {
        var name = "Wei " + TestPapers.Unique("Zhang");
        var (first, second) = (NewOrcid(), NewOrcid());
        var (colleagueOfFirst, colleagueOfSecond) = (TestPapers.Unique("Lab Mate"), TestPapers.Unique("Other Mate"));
        await IngestAsync(
            Paper("Vision", [(name, first), (colleagueOfFirst, null)], "2022-01-01"),
            Paper("Speech", [(name, second), (colleagueOfSecond, null)], "2022-02-01"));
        // Without an ORCID: one shares a co-author with the first, one shares none, one shares with both.
        await IngestAsync(
            Paper("Vision again", [(name, null), (colleagueOfFirst, null)], "2023-01-01"),
            Paper("Alone", [(name, null), (TestPapers.Unique("Stranger"), null)], "2023-02-01"),
            Paper("Both", [(name, null), (colleagueOfFirst, null), (colleagueOfSecond, null)], "2023-03-01"));

        Assert.Equal(["Vision again", "Vision"], await TitlesAsync(first));
        Assert.Equal(["Speech"], await TitlesAsync(second));
        // No co-author in common, or in common with both: the plain name's profile, which therefore does not redirect.
        Assert.Equal(["Both", "Alone"], await TitlesAsync(AuthorKey.FromName(name)));
    }

    [Fact]
    public async Task APaperSeenBeforeTheOrcid_MovesToTheOrcidProfile_WhenTheOrcidArrivesWithASharedCoAuthor()
    {
        var name = "Ada " + TestPapers.Unique("Lovelace");
        var colleague = TestPapers.Unique("Charles Babbage");
        var orcid = NewOrcid();
        await IngestAsync(Paper("Notes", [(name, null), (colleague, null)], "2021-01-01"));
        Assert.Equal(["Notes"], await TitlesAsync(AuthorKey.FromName(name)));

        await IngestAsync(Paper("Engine", [(name, orcid), (colleague, null)], "2022-01-01"));

        Assert.Equal(["Engine", "Notes"], await TitlesAsync(orcid));
        Assert.Equal(orcid, (await Profiles.GetProfileAsync(AuthorKey.FromName(name), CancellationToken.None))!.MovedTo);
    }

    [Fact]
    public async Task CorrectionFiles_MergeMoveAndAssignVariants_Idempotently_AndSurviveReingest()
    {
        var family = TestPapers.Unique("Curie");
        var orcid = NewOrcid();
        var (marie, maria, mSk) = ($"Marie {family}", $"Maria {family}", $"M. Sklodowska {family}");
        var namesake = $"Pierre {family}";
        var papersFile = await fixture.UploadAsync(TestPapers.Unique("curie") + ".jsonl", TestPapers.Lines(
            Paper("Radium", [(marie, orcid)], "1902-01-01", id: "sfx:radium-" + family),
            Paper("Polonium", [(maria, null)], "1898-07-01", id: "sfx:polonium-" + family),
            Paper("Thesis", [(mSk, null)], "1903-06-01", id: "sfx:thesis-" + family),
            Paper("Crystals", [(namesake, null)], "1880-01-01", id: "sfx:crystals-" + family),
            Paper("Magnetism", [(namesake, null)], "1895-01-01", id: "sfx:magnetism-" + family)));
        await fixture.IngestAsync(papersFile);
        var mariaId = AuthorKey.FromName(maria);
        var pierreId = AuthorKey.FromName(namesake);
        var corrections = JsonSerializer.Serialize(new
        {
            scholarfxIdentity = new object[]
            {
                new { merge = new[] { mariaId }, into = orcid },
                new { variant = mSk, orcid },
                new { move = new[] { "sfx:magnetism-" + family }, from = pierreId, to = pierreId + "-2" },
                new { move = new[] { "sfx:nowhere-" + family }, from = pierreId, to = pierreId + "-2" },
                new { merge = new[] { "Maria " + family }, into = orcid },
            },
        });

        var outcome = await CurateAsync(corrections);

        Assert.Equal((5, 3, 3), (outcome.Read, outcome.PapersMoved, outcome.Applied));
        Assert.Equal(["correction 4", "correction 5"], outcome.Errors.Select(e => e.Location));
        Assert.Contains($"no stored paper 'sfx:nowhere-{family}'", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains($"is not an author id (ids are lower-case name slugs like '{mariaId}'", outcome.Errors[1].Message, StringComparison.Ordinal);
        // The file is kept, with who sent it.
        var kept = await fixture.Storage.Data.GetBlobClient(outcome.Id).GetPropertiesAsync();
        Assert.Equal("tester", kept.Value.Metadata["curator"]);
        Assert.Equal(["Thesis", "Radium", "Polonium"], await TitlesAsync(orcid));
        Assert.Equal(["Crystals"], await TitlesAsync(pierreId));
        Assert.Equal(["Magnetism"], await TitlesAsync(pierreId + "-2"));
        // Old ids keep resolving: the merged one and the variant's name.
        Assert.Equal(orcid, (await Profiles.GetProfileAsync(mariaId, CancellationToken.None))!.MovedTo);
        Assert.Equal(orcid, (await Profiles.GetProfileAsync(AuthorKey.FromName(mSk), CancellationToken.None))!.MovedTo);

        // The same corrections again (another file name) change nothing; re-ingesting the papers undoes nothing.
        var again = await CurateAsync(corrections);
        Assert.Equal(0, again.PapersMoved);
        await fixture.Storage.Abstracts.GetBlobClient(papersFile).UploadAsync(BinaryData.FromString(TestPapers.Lines(
            Paper("Polonium", [(maria, null)], "1898-07-01", id: "sfx:polonium-" + family, citations: 9),
            Paper("Magnetism", [(namesake, null)], "1895-01-01", id: "sfx:magnetism-" + family, citations: 4))), overwrite: true);
        await fixture.IngestAsync(papersFile);

        Assert.Equal(["Thesis", "Radium", "Polonium"], await TitlesAsync(orcid));
        Assert.Equal(9, (await ProfileAsync(orcid)).GetProperty("citationCount").GetInt32());
        Assert.Equal(["Magnetism"], await TitlesAsync(pierreId + "-2"));
        Assert.Equal(["Crystals"], await TitlesAsync(pierreId));
    }

    [Fact]
    public async Task ACorrectionsFileUploadedLikePapers_IsRefused_AndChangesNothing()
    {
        var family = TestPapers.Unique("Uploader");
        var (ada, other) = ($"Ada {family}", $"Bob {family}");
        await IngestAsync(Paper("Engines", [(ada, null)], "2020-01-01"), Paper("Looms", [(other, null)], "2020-02-02"));
        var corrections = JsonSerializer.Serialize(new
        {
            scholarfxIdentity = new object[] { new { merge = new[] { AuthorKey.FromName(ada) }, into = AuthorKey.FromName(other) } },
        });

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("uploaded-identity") + ".json", corrections));

        Assert.Equal(("scholarfx-identity", ReceiptStatus.Failed), (receipt.Format, receipt.Status));
        Assert.Contains("POST /api/admin/identity", receipt.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal(["Engines"], await TitlesAsync(AuthorKey.FromName(ada)));
        Assert.Null((await Profiles.GetProfileAsync(AuthorKey.FromName(ada), CancellationToken.None))!.MovedTo);
    }

    [Fact]
    public async Task ACorrectionRetriedAfterItStoppedBetweenAPaperAndItsRows_FinishesMovingTheRows()
    {
        var name = "Ada " + TestPapers.Unique("Stopped");
        var id = "sfx:" + TestPapers.Unique("stopped");
        await IngestAsync(Paper("Halfway", [(name, null)], "2020-02-02", id: id));
        var plain = AuthorKey.FromName(name);
        // The stopped attempt: the paper was moved (stored with its new profile), its authors' rows were not.
        var papers = fixture.Services.GetRequiredService<IPaperStore>();
        var stored = (await papers.GetPaperAsync(id, CancellationToken.None))!;
        var moved = stored with
        {
            Authors = [stored.Authors[0] with { Id = plain + "-2" }],
            AuthorOverrides = [new AuthorOverride(plain, plain + "-2")],
        };
        moved = moved with { RetiredRows = AuthorRows.Retired(stored, moved) };
        Assert.True(await papers.TryReplaceAsync(moved, CancellationToken.None));
        var corrector = fixture.Services.GetRequiredService<ScholarFx.Core.Identity.IdentityCorrector>();
        ScholarFx.Core.Identity.IdentityCorrection[] move = [new ScholarFx.Core.Identity.MoveCorrection("correction 1", [id], plain, plain + "-2")];

        // The retry finds the paper already as the correction wants it, and writes its rows where they belong.
        var outcome = await corrector.ApplyAsync(move, CancellationToken.None, repair: true);

        Assert.Empty(outcome.Errors);
        Assert.Equal(["Halfway"], await TitlesAsync(plain + "-2"));
        Assert.Null(await Profiles.GetProfileAsync(plain, CancellationToken.None));
    }

    [Fact]
    public async Task NamesWithoutAnIdentity_AreNotRead_WhileANameWithOne_StillFollowsItsCoAuthor_OnAnotherInstance()
    {
        var name = "Grace " + TestPapers.Unique("Hopper");
        var colleague = TestPapers.Unique("Howard Aiken");
        var orcid = NewOrcid();
        await IngestAsync(Paper("Compiler", [(name, orcid), (colleague, null)], "2021-01-01"));
        // Another instance, counting its storage requests: the name's identity row was written by the first one.
        var counter = new RequestCounter();
        using var other = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var strangers = Enumerable.Range(0, 4).Select(i => TestPapers.Unique("Stranger")).ToArray();

        await fixture.IngestAsync(
            await fixture.UploadAsync(TestPapers.Unique("identity-papers") + ".jsonl", TestPapers.Lines(Paper("Cobol", [(name, null), (colleague, null), .. strangers.Select(s => (s, (string?)null))], "2022-01-01"))),
            other.Services);

        Assert.Equal(["Cobol", "Compiler"], await TitlesAsync(orcid));
        // One point read, of the one name with an identity; the colleague, the strangers and the ORCID profile have none.
        Assert.Equal(1, counter.Requests(StorageNames.IdentitiesTable + " (point)"));
        // Nothing changed anyone's identity: the history is not touched.
        Assert.Equal(0, counter.Requests(StorageNames.IdentityHistoryTable));
    }

    private async Task<CurationOutcome> CurateAsync(string corrections) =>
        await fixture.Services.GetRequiredService<IIdentityCurations>().ApplyAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(corrections)), "tester", CancellationToken.None);

    /// <summary>Ingests the papers as one file; returns the file's name.</summary>
    private async Task<string> IngestAsync(params string[] papers)
    {
        var file = await fixture.UploadAsync(TestPapers.Unique("identity-papers") + ".jsonl", TestPapers.Lines(papers));
        await fixture.IngestAsync(file);
        return file;
    }

    private async Task<JsonElement> ProfileAsync(string id)
    {
        var profile = await Profiles.GetProfileAsync(id, CancellationToken.None);
        Assert.True(profile is { MovedTo: null }, $"no profile {id}");
        return JsonDocument.Parse(profile!.Json).RootElement;
    }

    /// <summary>The profile's paper titles without their unique marks, newest first.</summary>
    private async Task<List<string>> TitlesAsync(string id) => Titles(await ProfileAsync(id));

    private static List<string> Titles(JsonElement profile) =>
        [.. profile.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("title").GetString()!).Select(t => t[..t.LastIndexOf(" #", StringComparison.Ordinal)])];

    /// <summary>A paper whose title ends in a unique mark, so tests sharing Azurite never share a paper.</summary>
    private static string Paper(string title, (string Name, string? Orcid)[] authors, string published, int? citations = null, string? id = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["title"] = $"{title} #{TestPapers.Unique("t")}",
            ["authors"] = authors.Select(a => a.Orcid is null ? (object)a.Name : new { name = a.Name, orcid = a.Orcid }).ToArray(),
            ["categories"] = new[] { "cs.LG" },
            ["published"] = published,
            ["abstract"] = $"We study {title.ToLowerInvariant()}.",
            ["citations"] = citations,
        });

    /// <summary>A random, valid ORCID iD (ISO 7064 MOD 11-2 check character).</summary>
    private static string NewOrcid()
    {
        var digits = string.Concat(Enumerable.Range(0, 15).Select(_ => (char)('0' + Random.Shared.Next(10))));
        var total = digits.Aggregate(0, (t, c) => (t + (c - '0')) * 2);
        var check = (12 - (total % 11)) % 11;
        var all = digits + (check == 10 ? "X" : check.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"{all[..4]}-{all[4..8]}-{all[8..12]}-{all[12..]}";
    }
}
