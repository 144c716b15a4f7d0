namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// Raw novelty, novelty/2 (chosen by the validity harness, docs/validity.md): the distance to the nearest earlier paper,
/// 1 − s₁, divided by the mean pairwise cosine distance among the k nearest earlier papers — how close the paper comes
/// to earlier work compared with how close the earlier work around it lies to itself. A near-copy of an earlier paper
/// gets about 0 wherever it sits; a paper in a busy field is measured against that field's own spacing. It reads only
/// the paper's own neighbourhood, so it goes stale exactly when that neighbourhood changes.
/// </summary>
public static class RelativeNearestDistance
{
    // Neighbours that are all the same text have no spacing; the floor keeps the ratio finite (and 0 for a copy).
    private const double MinimumSpacing = 1e-6;

    /// <summary>
    /// The measure from the first <paramref name="k"/> neighbours (most similar first); null with fewer than k
    /// neighbours or k below 2.
    /// </summary>
    public static NoveltyMeasure? Of(IReadOnlyList<Near> neighbours, int k)
    {
        if (k < 2 || neighbours.Count < k)
        {
            return null;
        }

        double sum = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = i + 1; j < k; j++)
            {
                sum += 1 - neighbours[i].Entry.Similarity(neighbours[j].Entry);
            }
        }

        var spacing = sum / (k * (k - 1) / 2);
        var nearest = Math.Max(0, 1 - neighbours[0].Similarity);
        return new NoveltyMeasure(nearest, spacing, nearest / Math.Max(spacing, MinimumSpacing));
    }
}
