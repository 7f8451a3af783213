namespace MarketMakers.Bench;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of an already sorted array.</summary>
    public static double Of(double[] sorted, double percentile)
    {
        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
