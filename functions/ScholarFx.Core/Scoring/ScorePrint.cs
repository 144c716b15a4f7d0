using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScholarFx.Core.Scoring;

/// <summary>
/// A 64-bit fingerprint of what a stored score says: value, reason, model, version and the explanation's numbers —
/// not the assessor's prose (summary, rationale), not the size of the reference set (it grows with every earlier paper
/// and would make every later score "change"), not a pioneer explanation's counts (they grow with every later paper). Settling compares fingerprints
/// to write only the scores whose content changed.
/// </summary>
public static class ScorePrint
{
    // "counts": a pioneer explanation's later papers and credit, which grow with every later paper.
    private static readonly string[] Ignored = ["summary", "rationale", "rubric", "contentHash", "counts"];

    /// <summary>The fingerprint of a score.</summary>
    public static ulong Of(Score score)
    {
        var details = "";
        if (score.Details is { ValueKind: JsonValueKind.Object } element && JsonNode.Parse(element.GetRawText()) is JsonObject json)
        {
            foreach (var name in Ignored)
            {
                json.Remove(name);
            }

            if (json["reference"] is JsonObject reference)
            {
                reference.Remove("size");
            }

            details = json.ToJsonString();
        }

        var text = string.Join('\u001f', score.Value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "", score.Reason ?? "", score.Model ?? "", score.Version ?? "", details);
        return BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
    }
}
