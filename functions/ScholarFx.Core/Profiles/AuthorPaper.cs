namespace ScholarFx.Core.Profiles;

/// <summary>
/// A paper as it appears in an author's profile: the row kept in the author's partition (for paging) and in the
/// author's ledger (for rebuilding the profile without a query).
/// </summary>
public sealed record AuthorPaper
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>The first authors of the paper, in order (long lists are cut; see <see cref="AuthorCount"/>).</summary>
    public required IReadOnlyList<string> Authors { get; init; }
    public required int AuthorCount { get; init; }
    public string? Category { get; init; }
    public required DateOnly Published { get; init; }
    public int? Citations { get; init; }
    public double? Novelty { get; init; }
    public double? AiScore { get; init; }
    /// <summary>This author's name as the paper writes it.</summary>
    public required string AuthorName { get; init; }

    /// <summary>Whether two rows say the same (records compare lists by reference).</summary>
    public static bool SameRow(AuthorPaper a, AuthorPaper b) =>
        a.Id == b.Id && a.Title == b.Title && a.AuthorCount == b.AuthorCount && a.Category == b.Category && a.Published == b.Published &&
        a.Citations == b.Citations && a.Novelty == b.Novelty && a.AiScore == b.AiScore && a.AuthorName == b.AuthorName &&
        a.Authors.SequenceEqual(b.Authors, StringComparer.Ordinal);
}
