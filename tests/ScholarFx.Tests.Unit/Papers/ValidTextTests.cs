using System.Text;
using ScholarFx.Core.Papers;

namespace ScholarFx.Tests.Unit.Papers;

public sealed class ValidTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Boyu Shi")]
    [InlineData("Schrödinger — 量子 \U0001F600 \U00020000 \uFFFD")]
    public void Clean_ReturnsTheSameInstance_WhenTheTextIsValid(string text)
    {
        Assert.Same(text, ValidText.Clean(text));
    }

    [Theory]
    [InlineData(@"a\uD800b", @"a\uFFFDb")]
    [InlineData(@"a\uDC00b", @"a\uFFFDb")]
    [InlineData(@"ab\uD83D", @"ab\uFFFD")]
    [InlineData(@"\uDE00\uD83D", @"\uFFFD\uFFFD")]
    [InlineData(@"a\uFFFEb\uFFFF", @"a\uFFFDb\uFFFD")]
    [InlineData(@"\uFDD0x\uFDEF", @"\uFFFDx\uFFFD")]
    [InlineData(@"\uFDCF\uFDF0", @"\uFDCF\uFDF0")]
    [InlineData(@"ok \uD83D\uDE00 then \uD800", @"ok \uD83D\uDE00 then \uFFFD")]
    public void Clean_ReplacesLoneSurrogatesAndNoncharacters_WithTheReplacementCharacter(string text, string expected)
    {
        Assert.Equal(Escaped.Decode(expected), ValidText.Clean(Escaped.Decode(text)));
    }

    [Theory]
    [InlineData(0x1FFFE)]
    [InlineData(0x1FFFF)]
    [InlineData(0x10FFFF)]
    [InlineData(0x7FFFE)]
    public void Clean_ReplacesASupplementaryNoncharacter_WithOneReplacementCharacter(int codePoint)
    {
        Assert.Equal("a\uFFFDb", ValidText.Clean("a" + char.ConvertFromUtf32(codePoint) + "b"));
    }

    [Fact]
    public void Clean_OfRandomText_IsAlwaysNormalisable_AndCleanAgainUnchanged()
    {
        var random = new Random(20261207);
        for (var round = 0; round < 20_000; round++)
        {
            var text = RandomText.Next(random, 24);

            var clean = ValidText.Clean(text);

            // Normalize throws on exactly what Clean must remove.
            _ = clean.Normalize(NormalizationForm.FormKD);
            _ = clean.Normalize(NormalizationForm.FormC);
            Assert.Same(clean, ValidText.Clean(clean));
            Assert.True(Encoding.UTF8.GetString(new UTF8Encoding(false, true).GetBytes(clean)) == clean);
        }
    }
}
