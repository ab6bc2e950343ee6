namespace Personalization.Model;

/// <summary>The figures of one model in one evaluation run, as <c>bench eval</c> reports them.</summary>
public sealed record MetricSet(
    double PrecisionAt10,
    double RecallAt10,
    double NdcgAt10,
    double MapAt10,
    double HitRateAt10,
    double Coverage,
    double GiniExposure,
    double Novelty)
{
    private double[] Values() => [PrecisionAt10, RecallAt10, NdcgAt10, MapAt10, HitRateAt10, Coverage, GiniExposure, Novelty];

    private static MetricSet From(double[] v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);

    /// <summary>Per-metric mean over runs.</summary>
    public static MetricSet Mean(IReadOnlyList<MetricSet> runs) =>
        From([.. Enumerable.Range(0, 8).Select(i => runs.Average(r => r.Values()[i]))]);

    /// <summary>Per-metric sample standard deviation over runs (0 for a single run).</summary>
    public static MetricSet StandardDeviation(IReadOnlyList<MetricSet> runs) =>
        From([.. Enumerable.Range(0, 8).Select(i =>
        {
            var values = runs.Select(r => r.Values()[i]).ToList();
            var mean = values.Average();
            return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        })]);
}

/// <summary>Accumulates ranked lists against their relevant items and averages the metrics over lists (users or events).</summary>
public sealed class RankingEvaluation(int k = 10)
{
    private readonly Dictionary<string, int> _exposure = new(StringComparer.Ordinal);
    private double _precision, _recall, _ndcg, _map, _hitRate;

    public int Lists { get; private set; }

    public void Add(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant)
    {
        _precision += RankingMetrics.Precision(ranked, relevant, k);
        _recall += RankingMetrics.Recall(ranked, relevant, k);
        _ndcg += RankingMetrics.Ndcg(ranked, relevant, k);
        _map += RankingMetrics.AveragePrecision(ranked, relevant, k);
        _hitRate += RankingMetrics.HitRate(ranked, relevant, k);
        foreach (var item in ranked.Take(k))
        {
            _exposure[item] = _exposure.GetValueOrDefault(item) + 1;
        }

        Lists++;
    }

    /// <param name="catalogSize">Items that could have been recommended.</param>
    /// <param name="interactions">Interactions per item, for novelty.</param>
    /// <param name="users">Users behind <paramref name="interactions"/>.</param>
    public MetricSet Result(int catalogSize, IReadOnlyDictionary<string, int> interactions, int users)
    {
        var n = Math.Max(1, Lists);
        return new MetricSet(
            _precision / n, _recall / n, _ndcg / n, _map / n, _hitRate / n,
            ExposureMetrics.Coverage(_exposure, catalogSize),
            ExposureMetrics.Gini(_exposure, catalogSize),
            ExposureMetrics.Novelty(_exposure, interactions, users));
    }
}
