using System.Globalization;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// A paper as the novelty index holds it: its vector in 8-bit form (<see cref="Int8Vector"/>), date, category, the keys
/// of the same-work test (<see cref="WorkKeys"/>), and its current neighbourhood and raw novelty. Kept small — about
/// 1 KiB at 384 dimensions with a settled neighbourhood, index lookups included — because a deployment holds one per paper (docs/scale.md).
/// </summary>
public sealed class CorpusEntry : ICohortMember
{
    private readonly sbyte[] codes = [];
    private readonly float inverseNorm;

    public required string Id { get; init; }
    public required DateOnly Published { get; init; }
    public string? Category { get; init; }

    /// <summary>Keys of the paper's identifiers (its id among them): a shared one means the same work.</summary>
    public required ulong[] AliasKeys { get; init; }

    /// <summary>Keys of the paper's author ids: near-identical text with a shared one means the same work.</summary>
    public required ulong[] AuthorKeys { get; init; }

    /// <summary>
    /// The vector: stored as 8-bit codes when set; read back as the unit vector the codes stand for (a new array each
    /// time — the index itself compares codes, <see cref="Similarity"/>).
    /// </summary>
    public required float[] Vector
    {
        get
        {
            var vector = new float[codes.Length];
            Int8Vector.Decode(codes, inverseNorm, vector);
            return vector;
        }

        init => (codes, inverseNorm) = Int8Vector.Quantize(value);
    }

    /// <summary>Dimensions of the vector.</summary>
    public int Dimensions => codes.Length;

    // NaN stands for null: a nullable double takes twice the space.
    private double raw = double.NaN, spacing = double.NaN;

    /// <summary>Raw novelty (<see cref="RelativeNearestDistance"/>), or null with fewer than k strictly earlier papers.</summary>
    public double? Raw
    {
        get => double.IsNaN(raw) ? null : raw;
        set => raw = value ?? double.NaN;
    }

    /// <summary>Mean pairwise distance among the k neighbours the raw value was computed from (the denominator of raw).</summary>
    public double? Spacing
    {
        get => double.IsNaN(spacing) ? null : spacing;
        set => spacing = value ?? double.NaN;
    }

    /// <summary>The neighbours the raw value was computed from, most similar first (empty until computed).</summary>
    public Near[] Nearest { get; set; } = [];

    /// <summary><see cref="Nearest"/> as the explanation and the corpus log write them (ids, dates, similarities).</summary>
    public IReadOnlyList<Neighbour> Neighbours => [.. Nearest.Select(n => n.ToNeighbour())];

    /// <summary>Set when an earlier paper arrived that may change this paper's neighbourhood.</summary>
    public bool Stale { get; set; }

    /// <summary>
    /// The corpus log position of the last change that made this entry stale (or inserted it): a settled neighbourhood
    /// computed as of an earlier position does not cover that change.
    /// </summary>
    public Storage.LogPosition StaleSince { get; set; }

    /// <summary>Similarity of the k-th neighbour: an inserted earlier paper more similar than this changes the raw value.</summary>
    public double KthSimilarity => Nearest.Length == 0 ? double.NegativeInfinity : Nearest[^1].Similarity;

    internal int DateKey => Published.DayNumber;

    /// <summary>The cosine similarity of two entries' vectors (<see cref="Int8Vector.Similarity"/>).</summary>
    public float Similarity(CorpusEntry other) => Int8Vector.Similarity(codes, inverseNorm, other.codes, other.inverseNorm);

    /// <summary>Whether <paramref name="vector"/> is the vector this entry was made from (it codes to the same bytes).</summary>
    public bool Holds(float[]? vector)
    {
        if (vector is null || vector.Length != codes.Length)
        {
            return false;
        }

        var (other, norm) = Int8Vector.Quantize(vector);
        return norm == inverseNorm && other.AsSpan().SequenceEqual(codes);
    }

    /// <summary>Writes the unit vector the codes stand for into <paramref name="into"/> (no allocation).</summary>
    internal void DecodeInto(Span<float> into) => Int8Vector.Decode(codes, inverseNorm, into);

    /// <summary>Whether any neighbour is one of <paramref name="ids"/>.</summary>
    internal bool HasNeighbourIn(IReadOnlySet<string> ids)
    {
        foreach (var n in Nearest)
        {
            if (ids.Contains(n.Entry.Id))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The parts of a raw novelty value: nearest distance / spacing of the neighbourhood.</summary>
/// <param name="NearestDistance">1 − similarity of the nearest earlier paper.</param>
/// <param name="Spacing">Mean pairwise cosine distance among the k nearest earlier papers.</param>
/// <param name="Raw">Their ratio.</param>
public sealed record NoveltyMeasure(double NearestDistance, double Spacing, double Raw);

/// <summary>An earlier paper near a paper, with their cosine similarity (its title is looked up when an explanation is shown).</summary>
public sealed record Neighbour(string Id, string Published, double Similarity);

/// <summary>
/// A neighbour as the index keeps it: the earlier paper's entry and the similarity (16 bytes, no strings of its own).
/// </summary>
public readonly record struct Near(CorpusEntry Entry, float Similarity)
{
    /// <summary>The neighbour's paper id.</summary>
    public string Id => Entry.Id;

    /// <summary>As the explanation writes it.</summary>
    public Neighbour ToNeighbour() => new(Entry.Id, Entry.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Similarity);
}
