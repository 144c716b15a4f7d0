using Microsoft.Extensions.Options;
using NSubstitute;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Profiles;

public sealed class ProfileQueriesTests
{
    private readonly IAuthorStore store = Substitute.For<IAuthorStore>();

    private ProfileQueries Queries => new(store, Options.Create(new ProfileOptions()));

    public static TheoryData<string, string> Oversized() => new()
    {
        // Thousands of words each cost a prefix scan on the anonymous route (about 0.5 s of CPU a request).
        { string.Join(' ', Enumerable.Range(0, 3_000).Select(i => $"w{i}")), "q is at most 200 characters: the start of an author's name" },
        { new string('a', 201), "q is at most 200 characters: the start of an author's name" },
        { string.Join(' ', Enumerable.Range(0, 11).Select(i => $"w{i}")), "q has at most 10 words" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task FindAsync_RefusesOversizedQueries_WithoutTouchingStorage(string query, string problem)
    {
        var result = await Queries.FindAsync(query, null, null, CancellationToken.None);

        Assert.Equal(problem, result.Problem);
        Assert.Empty(store.ReceivedCalls());
    }
}
