using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>Issue 13: ranked lists per category, kept as profiles change, paged with cursors.</summary>
public sealed class RankedListTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IProfileLists Lists => fixture.Services.GetRequiredService<IProfileLists>();

    [Fact]
    public async Task ACategorysProfiles_AreListedBestFirst_PagedByCursor_AndMoveWhenTheirFiguresChange()
    {
        var category = "cs." + TestPapers.Unique("rank");
        var names = Enumerable.Range(0, 4).Select(i => TestPapers.Unique($"Ranked{i} Author")).ToList();
        var ids = names.Select(AuthorKey.FromName).ToList();
        // One uploader's two files: the second, a correction, is its newer record even when both are stored in the same
        // second (then the later name is the newer).
        var stem = TestPapers.Unique("ranked");
        await fixture.IngestAsync(await fixture.UploadAsync(stem + "-1.jsonl", TestPapers.Lines(
            TestPapers.Paper("Ranked A " + names[0], [names[0]], "2024-01-01", citations: 5, category: category, id: "sfx:" + ids[0]),
            TestPapers.Paper("Ranked B " + names[1], [names[1]], "2024-01-02", citations: 50, category: category),
            TestPapers.Paper("Ranked C " + names[2], [names[2]], "2024-01-03", citations: 20, category: category),
            TestPapers.Paper("Ranked D " + names[3], [names[3]], "2024-01-04", citations: 1, category: "other." + category))));

        var first = (await Lists.ListAsync(category, "citations", null, 2, CancellationToken.None)).Value!;
        Assert.Equal([(ids[1], 50L), (ids[2], 20L)], first.Items.Select(e => (e.AuthorId, e.Value)));
        var cursor = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + first.Next!).Query)["cursor"];
        var second = (await Lists.ListAsync(category, "citations", cursor, 2, CancellationToken.None)).Value!;
        Assert.Equal([ids[0]], second.Items.Select(e => e.AuthorId));

        // More citations for the last: it moves to the top, once (its old entry is gone).
        await fixture.IngestAsync(await fixture.UploadAsync(stem + "-2.jsonl", TestPapers.Lines(
            TestPapers.Paper("Ranked A " + names[0], [names[0]], "2024-01-01", citations: 80, category: category, id: "sfx:" + ids[0]))));

        var all = (await Lists.ListAsync(category, "citations", null, 10, CancellationToken.None)).Value!;
        Assert.Equal([(ids[0], 80L), (ids[1], 50L), (ids[2], 20L)], all.Items.Select(e => (e.AuthorId, e.Value)));
        // Every profile, whatever its category, is in "all"; the other category's author is not in this one.
        var everyone = (await Lists.ListAsync(null, "hIndex", null, 100, CancellationToken.None)).Value!;
        Assert.Contains(ids[3], everyone.Items.Select(e => e.AuthorId));
        Assert.Equal(everyone.Items.Count, everyone.Items.Select(e => e.AuthorId).Distinct().Count());
        Assert.Equal("sort is one of hIndex, citations, novelty, aiScore, pioneer", (await Lists.ListAsync(category, "fame", null, null, CancellationToken.None)).Problem);
    }
}
