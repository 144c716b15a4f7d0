using ScholarFx.Core.Papers;

namespace ScholarFx.Tests.Unit.Papers;

public sealed class PaperIdentityTests
{
    [Theory]
    [InlineData("2303.11698", "arxiv:2303.11698")]
    [InlineData("2303.11698v2", "arxiv:2303.11698")]
    [InlineData("2303.11698V12", "arxiv:2303.11698")]
    [InlineData(" arXiv:2303.11698v1 ", "arxiv:2303.11698")]
    [InlineData("https://arxiv.org/abs/2303.11698v3", "arxiv:2303.11698")]
    [InlineData("http://arxiv.org/abs/2303.11698", "arxiv:2303.11698")]
    public void Arxiv_StripsPrefixAndVersion(string raw, string expected)
    {
        var id = PaperIdentity.Arxiv(raw);

        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("hep-th/9901001", "arxiv:hep-th/9901001")]
    [InlineData("hep-th/9901001v2", "arxiv:hep-th/9901001")]
    [InlineData("math.GT/0309136", "arxiv:math.gt/0309136")]
    public void Arxiv_KeepsOldStyleIds(string raw, string expected)
    {
        var id = PaperIdentity.Arxiv(raw);

        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("arxiv:")]
    public void Arxiv_ReturnsNull_ForNoValue(string? raw)
    {
        var id = PaperIdentity.Arxiv(raw);

        Assert.Null(id);
    }

    [Theory]
    [InlineData("10.1000/XYZ", "doi:10.1000/xyz")]
    [InlineData("https://doi.org/10.1000/XYZ", "doi:10.1000/xyz")]
    [InlineData("http://dx.doi.org/10.1000/Abc.Def", "doi:10.1000/abc.def")]
    [InlineData("DOI:10.1145/3368089", "doi:10.1145/3368089")]
    [InlineData("  10.1000/xyz  ", "doi:10.1000/xyz")]
    public void Doi_LowerCasesAndStripsResolver(string raw, string expected)
    {
        var id = PaperIdentity.Doi(raw);

        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("not-a-doi")]
    [InlineData("")]
    [InlineData(null)]
    public void Doi_ReturnsNull_ForValueThatIsNotADoi(string? raw)
    {
        var id = PaperIdentity.Doi(raw);

        Assert.Null(id);
    }

    [Theory]
    [InlineData("https://openalex.org/W123", "openalex:W123")]
    [InlineData("w4385", "openalex:W4385")]
    [InlineData("openalex:W99", "openalex:W99")]
    public void OpenAlex_NormalisesWorkId(string raw, string expected)
    {
        var id = PaperIdentity.OpenAlex(raw);

        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("A123")]
    [InlineData("W")]
    [InlineData("")]
    public void OpenAlex_ReturnsNull_ForNonWorkId(string raw)
    {
        var id = PaperIdentity.OpenAlex(raw);

        Assert.Null(id);
    }

    [Fact]
    public void SemanticScholar_LowerCases()
    {
        var id = PaperIdentity.SemanticScholar("ABCDEF0123");

        Assert.Equal("s2:abcdef0123", id);
    }

    [Theory]
    [InlineData("arxiv:2303.11698v1", "arxiv:2303.11698")]
    [InlineData("ARXIV:2303.11698", "arxiv:2303.11698")]
    [InlineData("doi:10.1000/XYZ", "doi:10.1000/xyz")]
    [InlineData("openalex:w12", "openalex:W12")]
    [InlineData("s2:ABC", "s2:abc")]
    [InlineData("sfx:my-paper", "sfx:my-paper")]
    [InlineData("title:0123abcd", "title:0123abcd")]
    public void FromGivenId_NormalisesKnownSchemes(string raw, string expected)
    {
        var id = PaperIdentity.FromGivenId(raw);

        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("paper-17", "sfx:paper-17")]
    [InlineData("urn:isbn:123", "sfx:urn:isbn:123")]
    [InlineData("doi:not-a-doi", "sfx:doi:not-a-doi")]
    [InlineData(" local-1 ", "sfx:local-1")]
    public void FromGivenId_KeepsOtherIdsUnderSfx(string raw, string expected)
    {
        var id = PaperIdentity.FromGivenId(raw);

        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromGivenId_ReturnsNull_ForNoValue(string? raw)
    {
        var id = PaperIdentity.FromGivenId(raw);

        Assert.Null(id);
    }

    [Fact]
    public void TitleKey_IsStable_AcrossCasePunctuationAndNameOrder()
    {
        var first = PaperIdentity.TitleKey("Attention Is All You Need", 2017, "Ashish Vaswani");
        var second = PaperIdentity.TitleKey("  attention is all you need. ", 2017, "Vaswani, Ashish");

        Assert.Equal(first, second);
    }

    [Fact]
    public void TitleKey_HasTitleSchemeAndShortHash()
    {
        var key = PaperIdentity.TitleKey("Attention Is All You Need", 2017, "Ashish Vaswani");

        Assert.Matches("^title:[0-9a-f]{20}$", key);
    }

    [Fact]
    public void TitleKey_Differs_ForAnotherYear()
    {
        var first = PaperIdentity.TitleKey("Attention Is All You Need", 2017, "Ashish Vaswani");
        var second = PaperIdentity.TitleKey("Attention Is All You Need", 2018, "Ashish Vaswani");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void TitleKey_Differs_ForAnotherFirstAuthor()
    {
        var first = PaperIdentity.TitleKey("Attention Is All You Need", 2017, "Ashish Vaswani");
        var second = PaperIdentity.TitleKey("Attention Is All You Need", 2017, "Noam Shazeer");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void TitleKey_Differs_ForAnotherTitle()
    {
        var first = PaperIdentity.TitleKey("Attention Is All You Need", 2017, null);
        var second = PaperIdentity.TitleKey("Attention Is Not All You Need", 2017, null);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Rank_OrdersSchemesByPreference()
    {
        string[] aliases = ["title:abc", "sfx:x", "s2:abc", "openalex:W1", "doi:10.1/x", "arxiv:1234.5678"];

        var ordered = aliases.OrderBy(PaperIdentity.Rank).ToList();

        Assert.Equal(["arxiv:1234.5678", "doi:10.1/x", "openalex:W1", "s2:abc", "sfx:x", "title:abc"], ordered);
    }

    [Fact]
    public void Rank_PutsUnknownSchemesLast()
    {
        var rank = PaperIdentity.Rank("isbn:123");

        Assert.Equal(PaperIdentity.Schemes.Count, rank);
    }

    [Fact]
    public void ContentHash_IsSame_ForTextThatDiffersOnlyInCaseAndPunctuation()
    {
        var first = PaperIdentity.ContentHash("Deep Nets", "We study deep nets.");
        var second = PaperIdentity.ContentHash("deep nets", "We  study, deep nets!");

        Assert.Equal(first, second);
    }

    [Fact]
    public void ContentHash_Differs_ForAnotherAbstract()
    {
        var first = PaperIdentity.ContentHash("Deep Nets", "We study deep nets.");
        var second = PaperIdentity.ContentHash("Deep Nets", "We study shallow nets.");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ContentHash_KeepsTitleAndAbstractApart()
    {
        var first = PaperIdentity.ContentHash("Deep Nets", "are good");
        var second = PaperIdentity.ContentHash("Deep", "Nets are good");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ContentHash_IsLowerHexSha256()
    {
        var hash = PaperIdentity.ContentHash("Deep Nets", "We study deep nets.");

        Assert.Matches("^[0-9a-f]{64}$", hash);
    }
}
