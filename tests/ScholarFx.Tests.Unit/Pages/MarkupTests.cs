using ScholarFx.Core.Pages;

namespace ScholarFx.Tests.Unit.Pages;

public sealed class MarkupTests
{
    [Fact]
    public void Html_EscapesMarkupAndQuotes()
    {
        Assert.Equal("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;&amp;", Markup.Html(PageSamples.Script + " \"&"));
    }

    [Fact]
    public void Xml_EscapesMarkup_AndDropsWhatXmlCannotCarry()
    {
        Assert.Equal("a&lt;b&gt;&amp;&quot;&apos;c 😀", Markup.Xml("a<b>&\"'\u0001c\u0007 😀"));
        Assert.Equal("x", Markup.Clean("x\uD800"));
    }

    [Fact]
    public void Links_PercentEncodeIds()
    {
        Assert.Equal("/papers/doi%3A10.1000%2Fx%20y", Markup.PaperHref("doi:10.1000/x y"));
        Assert.Equal("/profiles/0000-0002-1825-0097", Markup.ProfileHref("0000-0002-1825-0097"));
    }
}
