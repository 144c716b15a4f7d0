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

    private static readonly Comparer<SourceClaim> ByDelivery = Comparer<SourceClaim>.Create((a, b) => a.CompareDelivery(b));

    private static readonly Comparer<SourceClaim> ByDeliveryThenFormat = Comparer<SourceClaim>.Create((a, b) =>
        a.CompareDelivery(b) is var delivery && delivery != 0 ? delivery : string.CompareOrdinal(a.Format, b.Format));

    // Options are read once: they are validated at start and not reloaded.
    private readonly IReadOnlySet<string> curators = options.Value.CuratorSet;
    private readonly IReadOnlySet<string> trusted = options.Value.TrustedSet;

    /// <summary>The tier of an uploader.</summary>
    public int Tier(string uploader) =>
        curators.Contains(uploader) ? CuratorTier
        : uploader == StoredBefore || trusted.Contains(uploader) ? TrustedTier
        : UploaderTier;

    /// <summary>Whether the uploader may retract a paper and whose newest citation count is taken.</summary>
    public bool IsTrusted(string uploader) => Tier(uploader) < UploaderTier;

    /// <summary>The claims in precedence order.</summary>
    public IReadOnlyList<SourceClaim> Rank(IEnumerable<SourceClaim> claims) =>
        [.. claims.GroupBy(c => c.Uploader, StringComparer.Ordinal)
            .Select(g => (Tier: Tier(g.Key), Uploader: g.Key, First: g.Min(ByDelivery)!, Claims: g))
            .OrderBy(u => u.Tier)
            .ThenBy(u => u.First, ByDelivery)
            .ThenBy(u => u.Uploader, StringComparer.Ordinal)
            .SelectMany(u => u.Claims.Order(ByDeliveryThenFormat))];
}
