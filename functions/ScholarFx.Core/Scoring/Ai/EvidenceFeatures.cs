using System.Text.RegularExpressions;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// Explicit, countable features of an abstract that the local assessor reads: quantitative results, named datasets,
/// benchmarks and methods, comparisons, released code or data, formal results, a stated contribution, hedging,
/// sentence structure, and lexical cohesion — content words shared by adjacent sentences (the adjacent-sentence
/// overlap of Coh-Metrix; McNamara, Graesser, McCarthy and Cai 2014, Automated Evaluation of Text and Discourse with
/// Coh-Metrix) and by the two halves of the abstract. Pure text rules, so every number in a rationale can be checked
/// against the abstract.
/// </summary>
public sealed partial record EvidenceFeatures(
    int QuantitativeResults,
    int NamedResources,
    int DatasetMentions,
    int Comparisons,
    bool ReleasesArtifacts,
    bool FormalResults,
    string? ContributionSentence,
    int Hedges,
    int Sentences,
    int Words,
    double LongWordShare,
    double AdjacentCohesion = 0,
    double HalvesCohesion = 0,
    bool ContributionBeforeResults = false,
    int RunOnSentences = 0)
{
    /// <summary>Mean words per sentence.</summary>
    public double WordsPerSentence => Sentences == 0 ? 0 : (double)Words / Sentences;

    /// <summary>The features of an abstract.</summary>
    public static EvidenceFeatures Of(string text)
    {
        var sentences = SentencesOf(text);
        var words = Word().Matches(text);
        var longWords = words.Count(w => w.Length >= 13);
        var content = sentences.Select(ContentWords).ToList();
        var half = (content.Count + 1) / 2;
        var contribution = IndexOf(sentences, s => Contribution().IsMatch(s));
        var firstResult = IndexOf(sentences, s => Quantity().IsMatch(s) || Comparison().IsMatch(s));
        return new EvidenceFeatures(
            QuantitativeResults: Quantity().Matches(text).Select(m => m.Value.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            NamedResources: NamedResource().Matches(text).Select(m => m.Value).Where(IsName).Distinct(StringComparer.Ordinal).Count(),
            DatasetMentions: DatasetWord().Count(text),
            Comparisons: Comparison().Count(text),
            ReleasesArtifacts: Release().IsMatch(text),
            FormalResults: Formal().IsMatch(text),
            ContributionSentence: sentences.FirstOrDefault(s => Contribution().IsMatch(s)),
            Hedges: Hedge().Count(text),
            Sentences: sentences.Count,
            Words: words.Count,
            LongWordShare: words.Count == 0 ? 0 : (double)longWords / words.Count,
            AdjacentCohesion: content.Count < 2 ? 0 : Enumerable.Range(0, content.Count - 1).Average(i => Overlap(content[i], content[i + 1])),
            HalvesCohesion: content.Count < 2 ? 0 : Overlap(content.Take(half).SelectMany(c => c).ToHashSet(), content.Skip(half).SelectMany(c => c).ToHashSet()),
            ContributionBeforeResults: contribution >= 0 && (firstResult < 0 || contribution <= firstResult),
            RunOnSentences: sentences.Count(s => Word().Count(s) > 60));
    }

    private static int IndexOf(IReadOnlyList<string> sentences, Func<string, bool> match)
    {
        for (var i = 0; i < sentences.Count; i++)
        {
            if (match(sentences[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Jaccard overlap of two sets of content words.</summary>
    private static double Overlap(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    /// <summary>The content words of a sentence: lower case, four letters or more, not a function word, a plural "s" dropped.</summary>
    private static HashSet<string> ContentWords(string sentence) =>
        Word().Matches(sentence)
            .Select(m => m.Value.ToLowerInvariant())
            .Where(w => w.Length >= 4 && !FunctionWords.Contains(w))
            .Select(w => w.Length > 4 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) ? w[..^1] : w)
            .ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "this", "that", "these", "those", "with", "from", "into", "onto", "over", "under", "than", "then", "they", "their",
        "there", "which", "while", "where", "when", "what", "whose", "such", "also", "both", "each", "many", "more", "most",
        "other", "some", "only", "very", "well", "have", "been", "being", "were", "will", "would", "could", "should", "does",
        "through", "across", "between", "about", "after", "before", "however", "further", "thus", "here", "without", "within",
        "paper", "work", "propose", "present", "show", "using", "based",
    };

    /// <summary>The sentences of a text (split after . ! ? before a capital, digit or bracket).</summary>
    public static IReadOnlyList<string> SentencesOf(string text) =>
        [.. Sentence().Split(text.Trim()).Where(s => s.Any(char.IsLetter)).Select(s => s.Trim())];

    // Acronyms and CamelCase names (ImageNet, GLUE, CIFAR-10, ResNet-50), not a capitalised first word.
    private static bool IsName(string token) => token.Length >= 3 && token.Skip(1).Any(c => char.IsUpper(c) || char.IsDigit(c));

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\d(""'])")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\p{L}[\p{L}\p{N}'’-]*")]
    private static partial Regex Word();

    // A number with a unit or a decimal point: 12.3, 4%, 3x, 2.5-fold, 7 points, 40 ms. A bare integer ("100") is not a result.
    [GeneratedRegex(@"(?<![\p{L}\d.])(\d+(\.\d+)?\s?(%|percent\b|×|x\b|-?fold\b|(percentage\s)?points?\b|pp\b|dB\b|ms\b|s\b|BLEU\b|F1\b|AUC\b)|\d+\.\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"\b[\p{Lu}][\p{L}\p{N}]*(?:-[\p{L}\p{N}]+)*\b")]
    private static partial Regex NamedResource();

    [GeneratedRegex(@"\b(datasets?|benchmarks?|corpus|corpora|test ?beds?|suites?|tasks)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DatasetWord();

    [GeneratedRegex(@"\b(outperform\w*|surpass\w*|compared?\s+(with|to|against)|comparison|baselines?|state[- ]of[- ]the[- ]art|versus|vs\.?|improv\w*\s+(over|on|upon)|than\s+(prior|previous|existing|standard))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"(github\.com|gitlab\.com|zenodo|open[- ]source|(code|implementation|models?|data|dataset|weights|software|benchmark)\s+(is|are)\s+(publicly\s+|freely\s+)?available|we\s+(publicly\s+)?release|publicly\s+(available|released))", RegexOptions.IgnoreCase)]
    private static partial Regex Release();

    [GeneratedRegex(@"\b(theorem|lemma|we\s+prove|proofs?|provabl[ey]|upper\s+bound|lower\s+bound|tight\s+bound|convergence\s+(rate|guarantee)|guarantees?|closed[- ]form|minimax)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Formal();

    [GeneratedRegex(@"\b(we\s+(also\s+|further\s+|here\s+|then\s+|first\s+)?(propose|present|introduce|develop|describe|show|prove|demonstrate|derive|design|study|frame|formulate|provide|establish|construct|build|report|analy[sz]e|investigate|extend|obtain|find|identify|release)|(this|the\s+present)\s+(paper|work|article|study)\s+(proposes|presents|introduces|develops|describes|shows|studies|reports|provides|establishes))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Contribution();

    [GeneratedRegex(@"\b(may|might|could|preliminary|potentially|somewhat|we\s+hope|to\s+some\s+extent|appears?\s+to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Hedge();
}
