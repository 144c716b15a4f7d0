namespace ScholarFx.Core.Profiles;

/// <summary>
/// A paper as it appears in an author's profile: the summary kept in the author's partition so a
/// profile is rebuilt from one partition query.
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
}
