using System.Xml.Linq;
using ScholarFx.Core.Pages;

namespace ScholarFx.Tests.Unit.Pages;

public sealed class BadgeAndFeedTests
{
    private static readonly XNamespace Atom = AuthorFeed.Atom;

    [Fact]
    public void TheBadge_IsValidSvg_WithTheFiguresAndTheNameEscaped()
    {
        var svg = Badge.Svg(PageSamples.Profile(PageSamples.Summary("p1", "2024-01-01")));
        var root = XElement.Parse(svg);

        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), root.Name);
        Assert.Equal("img", root.Attribute("role")!.Value);
        var title = root.Elements().Single(e => e.Name.LocalName == "title").Value;
        Assert.StartsWith("ScholarFx: Ada <script>alert('x')</script", title, StringComparison.Ordinal);
        Assert.EndsWith("· h 3 · novelty 62% · AI 41", title, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongName_IsCut_SoTheBadgeStaysCompact()
    {
        var profile = PageSamples.Profile() with { Name = new string('W', 200), Novelty = null, AiScore = null };
        var title = XElement.Parse(Badge.Svg(profile)).Elements().Single(e => e.Name.LocalName == "title").Value;

        Assert.Contains(new string('W', Badge.MaxNameChars - 1) + "…", title, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('W', Badge.MaxNameChars), title, StringComparison.Ordinal);
        Assert.EndsWith("novelty – · AI –", title, StringComparison.Ordinal);
        Assert.True(int.Parse(XElement.Parse(Badge.Svg(profile)).Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture) < 500);
    }

    [Fact]
    public void TheFeed_IsAtom_WithWhatRfc4287Requires_NewestFirst()
    {
        var papers = new[] { PageSamples.Summary("p2", "2024-05-01"), PageSamples.Summary("p1", "2021-01-01") };
        var records = new Dictionary<string, ScholarFx.Core.Papers.PaperView> { ["p2"] = PageSamples.Record("p2") };

        var xml = AuthorFeed.Render(PageSamples.Profile(papers), records, "https://scholarfx.example");
        var feed = XDocument.Parse(xml).Root!;

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml, StringComparison.Ordinal);
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal("https://scholarfx.example/profiles/ada-lovelace", feed.Element(Atom + "id")!.Value);
        Assert.Equal("Papers of Ada <script>alert('x')</script> Lovelace · ScholarFx", feed.Element(Atom + "title")!.Value);
        Assert.Equal("2024-05-01T00:00:00Z", feed.Element(Atom + "updated")!.Value);
        Assert.Contains(feed.Elements(Atom + "link"), l => l.Attribute("rel")!.Value == "self" && l.Attribute("href")!.Value == "https://scholarfx.example/api/profiles/ada-lovelace/feed.atom");
        Assert.NotNull(feed.Element(Atom + "author")?.Element(Atom + "name"));
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(["https://scholarfx.example/papers/p2", "https://scholarfx.example/papers/p1"], entries.Select(e => e.Element(Atom + "id")!.Value));
        foreach (var entry in entries)
        {
            foreach (var required in new[] { "id", "title", "updated", "published", "summary" })
            {
                Assert.NotNull(entry.Element(Atom + required));
            }

            Assert.Contains(entry.Elements(Atom + "link"), l => l.Attribute("rel")!.Value == "alternate");
            Assert.NotEmpty(entry.Elements(Atom + "author"));
        }

        Assert.Equal("Novelty 61.5 · AI score 40 · 4 citations", entries[0].Element(Atom + "summary")!.Value);
        Assert.Equal("We show <script>alert('x')</script> is text & stays text.", entries[0].Element(Atom + "content")!.Value);
        Assert.Equal("https://scholarfx.example/profiles/bo-cy", entries[0].Elements(Atom + "author").ElementAt(1).Element(Atom + "uri")!.Value);
    }
}
