using Microsoft.Extensions.Options;
using NSubstitute;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Profiles;

public sealed class ProfileQueriesTests
{
    private readonly IAuthorStore store = Substitute.For<IAuthorStore>();
    private readonly IIdentityStore identities = Substitute.For<IIdentityStore>();

    public ProfileQueriesTests() =>
        identities.GetAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(call => NameIdentity.Empty(call.Arg<string>()));

    private ProfileQueries Queries => new(store, identities, Options.Create(new ProfileOptions()));

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

    [Fact]
    public async Task AnIdWithoutAProfile_RedirectsToWhereACuratorMergedIt_OrToItsOnlyOrcidProfile_ButNeverToNothing()
    {
        identities.GetAsync("amrit-s-bedi", Arg.Any<CancellationToken>()).Returns(NameIdentity.Empty("amrit-s-bedi") with { Redirect = "amrit-singh-bedi" });
        identities.GetAsync("amrit-singh-bedi", Arg.Any<CancellationToken>()).Returns(NameIdentity.Empty("amrit-singh-bedi") with
        {
            Orcids = new Dictionary<string, IReadOnlySet<string>> { ["0000-0002-1825-0097"] = new HashSet<string>() },
        });
        store.GetProfileJsonAsync("0000-0002-1825-0097", Arg.Any<CancellationToken>()).Returns(("{}", "t"));

        var moved = await Queries.GetProfileAsync("Amrit-S-Bedi", CancellationToken.None);

        // Through the merge, then to the one ORCID profile the merged name has.
        Assert.Equal("0000-0002-1825-0097", moved!.MovedTo);
        Assert.Null(await Queries.GetProfileAsync("nobody-at-all", CancellationToken.None));

        // An ORCID id's check character X is upper case whatever the caller wrote.
        store.GetProfileJsonAsync("0000-0002-1694-233X", Arg.Any<CancellationToken>()).Returns(("{\"id\":1}", "t2"));
        Assert.Equal("{\"id\":1}", (await Queries.GetProfileAsync("0000-0002-1694-233x", CancellationToken.None))!.Json);
    }
}
