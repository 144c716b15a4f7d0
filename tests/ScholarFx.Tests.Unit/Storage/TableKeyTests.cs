using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Storage;

public sealed class TableKeyTests
{
    public static TheoryData<string> AwkwardIds => new()
    {
        "doi:10.1000/xyz",
        @"a\b",
        "c#d",
        "what?",
        "100%",
        "%2F",
        "tab\there",
        "line\r\nbreak",
        "nul\u0000bell\u0007del\u007fc1\u0085",
        "/\\#?%",
        "李娜/naïve",
        "plain-id",
        "",
    };

    [Theory]
    [MemberData(nameof(AwkwardIds))]
    public void Unescape_ReturnsOriginal_OfEscapedKey(string id)
    {
        var key = TableKey.Escape(id);

        Assert.Equal(id, TableKey.Unescape(key));
    }

    [Theory]
    [MemberData(nameof(AwkwardIds))]
    public void Escape_GivesKeyWithoutForbiddenCharacters(string id)
    {
        var key = TableKey.Escape(id);

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }

    [Fact]
    public void Escape_PercentEncodesForbiddenCharacters()
    {
        var key = TableKey.Escape("doi:10.1000/xyz#1?a\\b%");

        Assert.Equal("doi:10.1000%2Fxyz%231%3Fa%5Cb%25", key);
    }

    [Fact]
    public void Escape_ReturnsLegalIdUnchanged()
    {
        var key = TableKey.Escape("arxiv:2303.11698");

        Assert.Equal("arxiv:2303.11698", key);
    }

    [Fact]
    public void Escape_KeepsDistinctIdsDistinct_WhenOneLooksEscaped()
    {
        var slash = TableKey.Escape("a/b");
        var literal = TableKey.Escape("a%2Fb");

        Assert.NotEqual(slash, literal);
    }

    [Fact]
    public void Escape_ShortensLongId()
    {
        var key = TableKey.Escape(new string('x', 2000));

        Assert.True(key.Length <= 480, $"key has {key.Length} characters");
    }

    [Fact]
    public void Escape_ShortensIdThatOnlyGrowsPastLimitWhenEscaped()
    {
        var key = TableKey.Escape(string.Concat(Enumerable.Repeat("/", 300)));

        Assert.True(key.Length <= 480, $"key has {key.Length} characters");
        Assert.DoesNotContain('/', key);
    }

    [Fact]
    public void Escape_KeepsLongIdsDistinct_WhenTheyDifferOnlyAtTheEnd()
    {
        var prefix = new string('x', 1000);

        var first = TableKey.Escape(prefix + "a");
        var second = TableKey.Escape(prefix + "b");

        Assert.NotEqual(first, second);
        Assert.True(first.Length <= 480 && second.Length <= 480);
    }

    [Fact]
    public void Escape_DoesNotSplitSurrogatePair_WhenShortening()
    {
        var id = new string('x', 446) + string.Concat(Enumerable.Repeat("😀", 100));

        var key = TableKey.Escape(id);

        Assert.True(key.Length <= 480, $"key has {key.Length} characters");
        Assert.DoesNotContain(key.Select((c, i) => (c, i)), x =>
            (char.IsHighSurrogate(x.c) && (x.i + 1 >= key.Length || !char.IsLowSurrogate(key[x.i + 1]))) ||
            (char.IsLowSurrogate(x.c) && (x.i == 0 || !char.IsHighSurrogate(key[x.i - 1]))));
    }

    [Fact]
    public void Escape_IsDeterministic_ForLongIds()
    {
        var id = new string('y', 900) + "/z";

        Assert.Equal(TableKey.Escape(id), TableKey.Escape(id));
    }

    [Fact]
    public void Escape_DoesNotShortenIdAtTheLimit()
    {
        var id = new string('x', 480);

        var key = TableKey.Escape(id);

        Assert.Equal(id, key);
    }

    [Theory]
    [InlineData("arxiv:2303.11698")]
    [InlineData("doi:10.1000/xyz")]
    [InlineData("")]
    public void HashPartition_IsTwoLowerHexCharacters(string id)
    {
        var partition = TableKey.HashPartition(id);

        Assert.Matches("^[0-9a-f]{2}$", partition);
    }

    [Fact]
    public void HashPartition_IsStable()
    {
        Assert.Equal(TableKey.HashPartition("doi:10.1000/xyz"), TableKey.HashPartition("doi:10.1000/xyz"));
    }

    [Fact]
    public void HashPartition_SpreadsIds()
    {
        var partitions = Enumerable.Range(0, 2000).Select(i => TableKey.HashPartition("arxiv:" + i)).Distinct().Count();

        Assert.True(partitions > 200, $"only {partitions} partitions");
    }

    [Fact]
    public void PrefixUpperBound_IncrementsLastCharacter()
    {
        var bound = TableKey.PrefixUpperBound("boy");

        Assert.Equal("boz", bound);
    }

    [Theory]
    [InlineData("boy", "boy")]
    [InlineData("boy", "boyu")]
    [InlineData("boy", "boy\uFFFE")]
    [InlineData("", "anything")]
    public void PrefixUpperBound_IsAboveEveryStringWithThePrefix(string prefix, string value)
    {
        var bound = TableKey.PrefixUpperBound(prefix);

        Assert.True(string.CompareOrdinal(value, bound) < 0);
    }

    [Fact]
    public void PrefixUpperBound_IsNotAboveNextPrefix()
    {
        var bound = TableKey.PrefixUpperBound("boy");

        Assert.True(string.CompareOrdinal("boz", bound) >= 0);
    }
}
