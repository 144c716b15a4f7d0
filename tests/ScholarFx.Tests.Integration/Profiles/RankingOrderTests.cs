using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>
/// Issue 22, part 4: two instances commit changes of one author and write their ranking moves in the other order; the
/// author stays listed once, at what their profile says.
/// </summary>
public sealed class RankingOrderTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task MovesOfOneAuthorFlushedInTheOtherOrderThanTheirCommits_LeaveTheAuthorListedOnce_AtTheLatestFigures()
    {
        using var one = fixture.BuildHost();
        using var two = fixture.BuildHost();
        var first = one.Services.GetRequiredService<ProfileBuilder>();
        var second = two.Services.GetRequiredService<ProfileBuilder>();
        var category = "cs." + TestPapers.Unique("order");
        var author = TestPapers.Unique("order-author");
        AuthorRowChange Row(string id, int citations, int day) => new(author, new AuthorPaper
        {
            Id = id, Title = "Paper " + id, Authors = [author], AuthorCount = 1, Category = category,
            Published = new DateOnly(2024, 3, day), Citations = citations, AuthorName = "Order Author",
        }, null);
        await first.ApplyAsync(author, [Row("p1", 5, 1)], CancellationToken.None);

        // Instance one commits a change and has not written its move yet; instance two commits a later change.
        var pendingOne = new NameIndexWrites();
        var pendingTwo = new NameIndexWrites();
        await first.ApplyAsync(author, [Row("p2", 7, 2)], CancellationToken.None, writes: pendingOne);
        await second.ApplyAsync(author, [Row("p3", 1, 3)], CancellationToken.None, writes: pendingTwo);

        // The later move lands first, then the earlier one.
        await second.FlushAsync(pendingTwo, CancellationToken.None);
        await first.FlushAsync(pendingOne, CancellationToken.None);

        var lists = fixture.Services.GetRequiredService<IProfileLists>();
        foreach (var (sort, value) in new[] { ("citations", 13L), ("hIndex", 2L) })
        {
            foreach (var within in new[] { category, null })
            {
                var listed = new List<RankEntry>();
                string? cursor = null;
                do
                {
                    var page = (await lists.ListAsync(within, sort, cursor, 100, CancellationToken.None)).Value!;
                    listed.AddRange(page.Items.Where(e => e.AuthorId == author));
                    cursor = page.Next is null ? null : System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + page.Next).Query)["cursor"];
                }
                while (cursor is not null);

                Assert.Equal(value, Assert.Single(listed).Value);
            }
        }
    }
}
