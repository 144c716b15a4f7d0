namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>A paper as the novelty index holds it: vector, date, category, identity, and its current raw novelty.</summary>
public sealed class CorpusEntry : ICohortMember
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required DateOnly Published { get; init; }
    public string? Category { get; init; }
    public required IReadOnlySet<string> Aliases { get; init; }
    public required IReadOnlySet<string> AuthorIds { get; init; }
    public required float[] Vector { get; init; }

    /// <summary>Raw novelty (1 − mean similarity to the k nearest strictly earlier papers), or null with fewer than k.</summary>
    public double? Raw { get; set; }

    /// <summary>The neighbours the raw value was computed from (empty until computed).</summary>
    public IReadOnlyList<Neighbour> Neighbours { get; set; } = [];

    /// <summary>Set when an earlier paper arrived that may change this paper's neighbourhood.</summary>
    public bool Stale { get; set; }

    /// <summary>Similarity of the k-th neighbour: an inserted earlier paper more similar than this changes the raw value.</summary>
    public double KthSimilarity => Neighbours.Count == 0 ? double.NegativeInfinity : Neighbours[^1].Similarity;

    internal int DateKey => Published.DayNumber;
}

/// <summary>An earlier paper near a paper, with their cosine similarity.</summary>
public sealed record Neighbour(string Id, string Title, string Published, double Similarity);

