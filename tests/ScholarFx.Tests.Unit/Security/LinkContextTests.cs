using System.Text.RegularExpressions;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Tests.Unit.Pages;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Security;

/// <summary>
/// The review of attribute and URL contexts: ids come from ingested files, so a paper or author id that looks like a
/// scheme (<c>javascript:</c>), another site (<c>//evil.example</c>) or a header (CR LF) must stay a path segment of
/// this site wherever it becomes a link or a redirect.
/// </summary>
public sealed partial class LinkContextTests
{
    private static readonly string[] HostileIds = ["javascript:alert(1)", "//evil.example/x", "https://evil.example", "a\r\nSet-Cookie: x=1", "\" onmouseover=\"alert(1)"];

    [Fact]
    public void EveryLinkOfAPage_StaysOnTheSite_WhateverTheIdsSay()
    {
        var papers = HostileIds.Select(id => PageSamples.Summary(id, "2024-05-01")).ToArray();
        var records = HostileIds.ToDictionary(id => id, PageSamples.Record);
        var profile = PageSamples.Profile(papers) with { Id = "javascript:alert(2)", CoAuthors = [new CoAuthorView("//evil.example", "Evil", 1)] };

        var html = ProfilePage.Render(new ProfilePageModel(profile, papers, records, "//evil.example", true, "https://scholarfx.example"));

        foreach (Match link in Attributes().Matches(html))
        {
            var value = System.Net.WebUtility.HtmlDecode(link.Groups["value"].Value);
            Assert.True(
                value.StartsWith('#') || (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal))
                || value.StartsWith("https://scholarfx.example/", StringComparison.Ordinal) || value.StartsWith("https://orcid.org/", StringComparison.Ordinal),
                $"{link.Groups["name"].Value}=\"{value}\" leaves the site");
            Assert.DoesNotContain('\n', value);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ARedirectToAMergedId_StaysOnTheSite_AndCannotSplitTheHeader(int hostile)
    {
        var moved = HostileIds[hostile];
        var profiles = Substitute.For<IProfileQueries>();
        profiles.GetProfileAsync("old", Arg.Any<CancellationToken>()).Returns(ProfileDocument.Moved(moved));
        var page = await new PageService(profiles, Substitute.For<IPaperQueries>(), Substitute.For<IProfileLists>(), Substitute.For<ScholarFx.Core.Discovery.ITopicAuthors>(), Substitute.For<ScholarFx.Core.Health.IHealthService>()).ProfileAsync("old", null, "", CancellationToken.None);
        var request = Get("/api/profiles/old");

        var api = await new ScholarFx.Functions.Http.ProfileFunctions(profiles, Substitute.For<IProfileLists>(), Substitute.For<ScholarFx.Core.Discovery.ITopicAuthors>(), Api())
            .GetProfile(request, "old", CancellationToken.None);

        Assert.Equal(301, page.Status);
        Assert.Matches("^/profiles/[^/\r\n]+$", page.Location);
        Assert.Equal(301, ((Microsoft.AspNetCore.Mvc.ContentResult)api).StatusCode);
        Assert.Matches("^/api/profiles/[^/\r\n]+$", request.HttpContext.Response.Headers.Location.ToString());
    }

    [GeneratedRegex("(?<name>href|src|action)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attributes();
}
