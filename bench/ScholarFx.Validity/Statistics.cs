namespace ScholarFx.Validity;

/// <summary>The statistics the report uses.</summary>
public static class Statistics
{
    /// <summary>Probability that a random positive outranks a random negative, ties half (Mann–Whitney AUROC), by ranks in O(n log n).</summary>
    public static double Auroc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0)
        {
            return double.NaN;
        }

        var all = positives.Select(v => (Value: v, Positive: true)).Concat(negatives.Select(v => (Value: v, Positive: false))).ToList();
        var ranks = Ranks([.. all.Select(x => x.Value)]);
        var positiveRankSum = all.Select((x, i) => x.Positive ? ranks[i] : 0).Sum();
        var u = positiveRankSum - (positives.Count * (positives.Count + 1) / 2.0);
        return u / (positives.Count * (double)negatives.Count);
    }

    /// <summary>Spearman's rank correlation (Pearson correlation of average ranks).</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(Ranks(x), Ranks(y));

    /// <summary>Pearson's correlation.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2)
        {
            return double.NaN;
        }

        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Average ranks (1-based; ties share the mean of their ranks).</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            for (var t = i; t <= j; t++)
            {
                ranks[order[t]] = ((i + j) / 2.0) + 1;
            }

            i = j + 1;
        }

        return ranks;
    }

    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The share of values equal to the most common value.</summary>
    public static double ModalShare(IReadOnlyList<double> values) =>
        values.Count == 0 ? double.NaN : values.GroupBy(v => v).Max(g => g.Count()) / (double)values.Count;

    /// <summary>The share of values meeting a condition.</summary>
    public static double Share(IReadOnlyList<double> values, Func<double, bool> condition) =>
        values.Count == 0 ? double.NaN : values.Count(condition) / (double)values.Count;
}
