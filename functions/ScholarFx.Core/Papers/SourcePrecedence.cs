using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;

namespace ScholarFx.Core.Papers;

/// <summary>
/// The order in which a paper's sources are asked for a field: curators, then trusted sources, then every other
/// uploader; within each, the one that delivered the paper first (its file's creation time, then the file's name, then
/// the uploader's name). An uploader's several formats follow each other in the order it delivered them. Every key is a
/// fact of the input files, so the order is the same whichever file was read first and on however many instances.
/// </summary>
public sealed class SourcePrecedence(IOptions<SourcesOptions> options)
{
    /// <summary>The source standing for what a paper stored before sources were kept said: trusted, so nothing it said is lost.</summary>
    public const string StoredBefore = "(stored)";

    /// <summary>Curators rank first.</summary>
    public const int CuratorTier = 0;

    /// <summary>Trusted sources rank after curators.</summary>
    public const int TrustedTier = 1;

    /// <summary>Every other uploader.</summary>
    public const int UploaderTier = 2;

    /// <summary>The tier of an uploader.</summary>
    public int Tier(string uploader) =>
        options.Value.CuratorSet.Contains(uploader) ? CuratorTier
        : uploader == StoredBefore || options.Value.TrustedSet.Contains(uploader) ? TrustedTier
        : UploaderTier;

    /// <summary>Whether the uploader may retract a paper and whose newest citation count is taken.</summary>
    public bool IsTrusted(string uploader) => Tier(uploader) < UploaderTier;

    /// <summary>The claims in precedence order.</summary>
    public IReadOnlyList<SourceClaim> Rank(IEnumerable<SourceClaim> claims) =>
        [.. claims.GroupBy(c => c.Uploader, StringComparer.Ordinal)
            .Select(g => (Tier: Tier(g.Key), Uploader: g.Key, First: g.Aggregate((a, b) => a.CompareDelivery(b) <= 0 ? a : b), Claims: g))
            .OrderBy(u => u.Tier)
            .ThenBy(u => u.First, Comparer<SourceClaim>.Create((a, b) => a.CompareDelivery(b)))
            .ThenBy(u => u.Uploader, StringComparer.Ordinal)
            .SelectMany(u => u.Claims.Order(Comparer<SourceClaim>.Create((a, b) => a.CompareDelivery(b) is var c && c != 0 ? c : string.CompareOrdinal(a.Format, b.Format))))];
}
