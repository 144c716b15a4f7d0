using ScholarFx.Core.Ingest;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class LatexTextTests
{
    [Theory]
    [InlineData("{\\\"o}", "ö")]
    [InlineData("Schr\\\"odinger", "Schrödinger")]
    [InlineData("\\\"{u}ber", "über")]
    [InlineData("Caf\\'e", "Café")]
    [InlineData("\\'{E}cole", "École")]
    [InlineData("Fran\\c{c}ois", "François")]
    [InlineData("Fran{\\c c}ois", "François")]
    [InlineData("Espa\\~na", "España")]
    [InlineData("\\`a la", "à la")]
    [InlineData("Stra\\ss e", "Straße")]
    [InlineData("Stra{\\ss}e", "Straße")]
    [InlineData("{\\aa}ngstr{\\\"o}m", "ångström")]
    [InlineData("{\\AA}sa", "Åsa")]
    [InlineData("S{\\o}ren", "Søren")]
    [InlineData("\\L{}\\'od\\'z", "Łódź")]
    [InlineData("Dvo\\v{r}\\'ak", "Dvořák")]
    [InlineData("Erd\\H{o}s", "Erdős")]
    [InlineData("na\\\"{\\i}ve", "naïve")]
    public void Clean_TurnsAccentCommandsIntoLetters(string latex, string text) =>
        Assert.Equal(text, LatexText.Clean(latex));

    [Theory]
    [InlineData("pages 10--20", "pages 10–20")]
    [InlineData("yes---no", "yes—no")]
    [InlineData("R\\&D costs 5\\% more", "R&D costs 5% more")]
    [InlineData("{BERT} and {{GPT}}", "BERT and GPT")]
    [InlineData("an \\emph{important} and \\textbf{bold} claim", "an important and bold claim")]
    [InlineData("with $\\alpha_{1} -- \\beta$ kept", "with $\\alpha_{1} -- \\beta$ kept")]
    [InlineData("``quoted''", "“quoted”")]
    [InlineData("non~breaking", "non breaking")]
    [InlineData("line\n   broken\ttext", "line broken text")]
    [InlineData("\\LaTeX{} is fine", "LaTeX is fine")]
    public void Clean_HandlesDashesEscapesBracesCommandsAndMath(string latex, string text) =>
        Assert.Equal(text, LatexText.Clean(latex));

    [Fact]
    public void Clean_StopsRecursingIntoVeryDeepBraces()
    {
        var deep = new string('{', 10_000) + "x" + new string('}', 10_000);

        Assert.Equal("x", LatexText.Clean(deep)?.Trim('{', '}'));
    }

    [Fact]
    public void Clean_ReturnsNullForNothing()
    {
        Assert.Null(LatexText.Clean(null));
        Assert.Null(LatexText.Clean("{ }"));
    }

    [Fact]
    public void Clean_ReadsAVeryLongChainOfAccentCommands_WithoutExhaustingTheStack()
    {
        // \"\"\"…o, 200,000 deep: each accent takes the next command as its argument. Run on a thread with a small stack so
        // unbounded recursion fails here as it would in a worker (a stack overflow kills the process, uncatchable).
        var chain = string.Concat(Enumerable.Repeat("\\\"", 200_000)) + "o";
        string? text = null;
        var thread = new Thread(() => text = LatexText.Clean(chain), maxStackSize: 256 * 1024);

        thread.Start();
        thread.Join();

        Assert.NotNull(text);
        Assert.Contains("ö", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"Title \uFFFE here", @"Title \uFFFD here")]
    [InlineData(@"Title \uD800 here", @"Title \uFFFD here")]
    [InlineData(@"\'{\uD83D\uDE00}x", @"\uFFFD\u0301\uFFFDx")]
    [InlineData(@"\'\uD83D\uDE00", @"\uFFFD\u0301\uFFFD")]
    public void Clean_MakesTheTextValid_BeforeNormalisingIt(string latex, string expected)
    {
        Assert.Equal(Escaped.Decode(expected), LatexText.Clean(Escaped.Decode(latex)));
    }
}
