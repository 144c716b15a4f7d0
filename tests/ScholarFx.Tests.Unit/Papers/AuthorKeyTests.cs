using ScholarFx.Core.Papers;

namespace ScholarFx.Tests.Unit.Papers;

public sealed class AuthorKeyTests
{
    [Theory]
    [InlineData("Shi, Boyu")]
    [InlineData("Boyu  Shi")]
    [InlineData("BOYU SHI")]
    [InlineData("  Boyu Shi  ")]
    [InlineData("Boyu\tShi")]
    public void FromName_GivesOneSlug_ForEveryWritingOfTheSameName(string name)
    {
        var id = AuthorKey.FromName(name);

        Assert.Equal("boyu-shi", id);
    }

    [Theory]
    [InlineData("Amrit S. Bedi", "bedi")]
    [InlineData("Bedi, Amrit Singh", "bedi")]
    [InlineData("Martin Luther King, Jr.", "king")]
    [InlineData("李娜", "李娜")]
    public void FamilyName_IsTheLastWordOfTheKey_ThatIsNoSuffix(string name, string family) =>
        Assert.Equal(family, AuthorKey.FamilyName(AuthorKey.FromName(name)));

    [Fact]
    public void FromName_FoldsDiacritics()
    {
        var id = AuthorKey.FromName("José Martínez-Núñez");

        Assert.Equal("jose-martinez-nunez", id);
    }

    [Theory]
    [InlineData("Jürgen Müller", "jurgen-muller")]
    [InlineData("Søren Kierkegaard", "soren-kierkegaard")]
    [InlineData("Paul Erdős", "paul-erdos")]
    [InlineData("Hans Straße", "hans-strasse")]
    [InlineData("Łukasz Kaiser", "lukasz-kaiser")]
    public void FromName_FoldsLettersWithoutDecomposition(string name, string expected)
    {
        var id = AuthorKey.FromName(name);

        Assert.Equal(expected, id);
    }

    [Fact]
    public void FromName_KeepsChineseCharacters()
    {
        var id = AuthorKey.FromName("李娜");

        Assert.Equal("李娜", id);
    }

    [Fact]
    public void FromName_KeepsCyrillicLettersLowerCased()
    {
        var id = AuthorKey.FromName("Иван Петров");

        Assert.Equal("иван-петров", id);
    }

    [Fact]
    public void FromName_KeepsDevanagariNameAsOneToken()
    {
        var id = AuthorKey.FromName("प्रियंका");

        Assert.Equal("प्रियंका", id);
    }

    [Fact]
    public void FromName_JoinsApostrophes()
    {
        var id = AuthorKey.FromName("O'Brien, Conan");

        Assert.Equal("conan-obrien", id);
    }

    [Fact]
    public void FromName_GivesHashedId_ForPunctuationOnlyName()
    {
        var id = AuthorKey.FromName("?!.");

        Assert.Matches("^author-[0-9a-f]{12}$", id);
    }

    [Fact]
    public void FromName_GivesStableHashedId_ForTheSamePunctuation()
    {
        var first = AuthorKey.FromName("?!.");
        var second = AuthorKey.FromName(" ?!. ");

        Assert.Equal(first, second);
    }

    [Fact]
    public void FromName_GivesDifferentHashedIds_ForDifferentPunctuation()
    {
        var first = AuthorKey.FromName("?!.");
        var second = AuthorKey.FromName("---");

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("Boyu\r\nShi")]
    [InlineData("Boyu\u0000Shi")]
    [InlineData("\u0007Boyu \u001b Shi\n")]
    public void FromName_TreatsControlCharactersAsSpace(string name)
    {
        var id = AuthorKey.FromName(name);

        Assert.Equal("boyu-shi", id);
    }

    [Fact]
    public void DisplayName_ReordersFamilyCommaGiven()
    {
        var name = AuthorKey.DisplayName("Shi, Boyu");

        Assert.Equal("Boyu Shi", name);
    }

    [Fact]
    public void DisplayName_CollapsesWhitespaceAndControlCharacters()
    {
        var name = AuthorKey.DisplayName("  Boyu \r\n\t Shi\u0001 ");

        Assert.Equal("Boyu Shi", name);
    }

    [Fact]
    public void DisplayName_KeepsCase()
    {
        var name = AuthorKey.DisplayName("BOYU SHI");

        Assert.Equal("BOYU SHI", name);
    }

    [Theory]
    [InlineData("Smith, Jr.")]
    [InlineData("Smith, III")]
    public void DisplayName_DoesNotTreatSuffixAsGivenName(string raw)
    {
        var name = AuthorKey.DisplayName(raw);

        Assert.Equal(raw, name);
    }

    [Fact]
    public void DisplayName_LeavesNameWithTwoCommasInOrder()
    {
        var name = AuthorKey.DisplayName("King, Martin Luther, Jr.");

        Assert.Equal("King, Martin Luther, Jr.", name);
    }

    [Fact]
    public void Tokens_SplitsOnPunctuationAndLowerCases()
    {
        var tokens = AuthorKey.Tokens("Graph-Neural NETWORKS: a Survey (2024)");

        Assert.Equal(["graph", "neural", "networks", "a", "survey", "2024"], tokens);
    }

    [Fact]
    public void Tokens_ReturnsEmpty_ForPunctuationOnly()
    {
        var tokens = AuthorKey.Tokens(" -- ,, !! ");

        Assert.Empty(tokens);
    }

    [Theory]
    [InlineData(@"\uFFFE")]
    [InlineData(@"\uD800")]
    [InlineData(@"Bo\uDC00yu Shi\uFDD0")]
    [InlineData(@"\u0301\uD83D")]
    public void TokensAndFromName_NeverThrow_OnALoneSurrogateOrANoncharacter(string escaped)
    {
        var text = Escaped.Decode(escaped);

        var tokens = AuthorKey.Tokens(text);

        Assert.All(tokens, t => Assert.Same(t, ValidText.Clean(t)));
        Assert.NotEmpty(AuthorKey.FromName(text));
    }

    [Fact]
    public void Tokens_NeverThrow_OnRandomText()
    {
        var random = new Random(7);
        for (var round = 0; round < 5_000; round++)
        {
            var text = RandomText.Next(random, 16);

            Assert.All(AuthorKey.Tokens(text), t => Assert.Same(t, ValidText.Clean(t)));
            Assert.NotEmpty(AuthorKey.FromName(text));
        }
    }
}
