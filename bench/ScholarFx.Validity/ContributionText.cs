using System.Text.RegularExpressions;

namespace ScholarFx.Validity;

/// <summary>
/// The part of an abstract that states the paper's own work: from the first sentence that speaks of it ("we", "our",
/// "this paper", "in this work", ...) to the end. The background sentences before it restate the problem in the words
/// of the field, which makes every paper of a busy topic look close to every other; an abstract with no such sentence,
/// or one that starts with it, is kept whole.
/// </summary>
public static partial class ContributionText
{
    public static string Of(string abstractText)
    {
        var sentences = Sentence().Split(abstractText.Trim());
        for (var i = 0; i < sentences.Length; i++)
        {
            if (OwnWork().IsMatch(sentences[i]))
            {
                return string.Join(" ", sentences[i..]);
            }
        }

        return abstractText;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z])")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\b(we|our|us|this (paper|work|article|study|letter|thesis)|in this|here,? we|the proposed)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OwnWork();
}
