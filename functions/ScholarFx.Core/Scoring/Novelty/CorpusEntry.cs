namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>A paper as the novelty index holds it: vector, date, category, identity, and its current raw novelty.</summary>
public sealed class CorpusEntry : ICohortMember
{
    public required string Id { get; init; }
    public required DateOnly Published { get; init; }
    public string? Category { get; init; }
    public required IReadOnlySet<string> Aliases { get; init; }
    public required IReadOnlySet<string> AuthorIds { get; init; }
    public required float[] Vector { get; init; }

    /// <summary>Raw novelty (<see cref="NoveltyIndex.Measure"/>), or null with fewer than k strictly earlier papers.</summary>
    public double? Raw { get; set; }

    /// <summary>Mean pairwise distance among the k neighbours the raw value was computed from (the denominator of raw).</summary>
    public double? Spacing { get; set; }

    /// <summary>The neighbours the raw value was computed from (empty until computed).</summary>
    public IReadOnlyList<Neighbour> Neighbours { get; set; } = [];

    /// <summary>Set when an earlier paper arrived that may change this paper's neighbourhood.</summary>
    public bool Stale { get; set; }

    /// <summary>
    /// The corpus log position of the last change that made this entry stale (or inserted it): a settled neighbourhood
    /// computed as of an earlier position does not cover that change.
    /// </summary>
    public Storage.LogPosition StaleSince { get; set; }

    /// <summary>Similarity of the k-th neighbour: an inserted earlier paper more similar than this changes the raw value.</summary>
    public double KthSimilarity => Neighbours.Count == 0 ? double.NegativeInfinity : Neighbours[^1].Similarity;

    internal int DateKey => Published.DayNumber;
}

/// <summary>The parts of a raw novelty value: nearest distance / spacing of the neighbourhood.</summary>
/// <param name="NearestDistance">1 − similarity of the nearest earlier paper.</param>
/// <param name="Spacing">Mean pairwise cosine distance among the k nearest earlier papers.</param>
/// <param name="Raw">Their ratio.</param>
public sealed record NoveltyMeasure(double NearestDistance, double Spacing, double Raw);

/// <summary>An earlier paper near a paper, with their cosine similarity (its title is looked up when an explanation is shown).</summary>
public sealed record Neighbour(string Id, string Published, double Similarity);

