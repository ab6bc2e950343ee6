namespace Personalization.Bench.Load;

/// <summary>Throughput and latency of one load scenario.</summary>
public sealed record LoadResult(double EventsPerSec, double RequestsPerSec, double P50Ms, double P99Ms, double P999Ms, int Failed)
{
    /// <summary>The result of <paramref name="latenciesMs"/> (every request, failed ones included) over <paramref name="seconds"/>.</summary>
    public static LoadResult Of(IEnumerable<double> latenciesMs, double seconds, int eventsPerRequest, int failed)
    {
        var sorted = latenciesMs.Order().ToArray();
        return new LoadResult(
            (sorted.Length - failed) * eventsPerRequest / seconds,
            sorted.Length / seconds,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            Percentile(sorted, 0.999),
            failed);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))], 2);
}
