namespace ScholarFx.Bench;

/// <summary>Percentiles of sorted latencies, the same way in every bench (nearest rank).</summary>
internal static class Latency
{
    /// <summary>The <paramref name="p"/>-th percentile (nearest rank) of <paramref name="sorted"/>, ascending.</summary>
    public static double Percentile(double[] sorted, int p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
}
