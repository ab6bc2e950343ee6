using Personalization.Model;

namespace Personalization.Tests.Model;

/// <summary>The evaluation math against values worked out by hand.</summary>
public sealed class MetricsTests
{
    private static readonly string[] _ranked = ["a", "b", "c", "d"];
    private static readonly HashSet<string> _relevant = ["a", "c", "x"];

    [Fact]
    public void Precision_recall_and_hit_rate_count_the_hits_in_the_first_k()
    {
        Assert.Equal(0.5, RankingMetrics.Precision(_ranked, _relevant, 4), 10);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(_ranked, _relevant, 4), 10);
        Assert.Equal(1.0, RankingMetrics.HitRate(_ranked, _relevant, 4), 10);
        Assert.Equal(1.0, RankingMetrics.HitRate(_ranked, _relevant, 1), 10);
        Assert.Equal(0.0, RankingMetrics.HitRate(["b"], _relevant, 1), 10);
    }

    [Fact]
    public void Ndcg_is_binary_dcg_over_the_ideal_dcg()
    {
        // Hits at ranks 1 and 3: 1 + 1/log2(4) = 1.5. Ideal, three relevant: 1 + 1/log2(3) + 1/log2(4).
        var expected = 1.5 / (1 + 1 / Math.Log2(3) + 0.5);
        Assert.Equal(expected, RankingMetrics.Ndcg(_ranked, _relevant, 4), 10);
    }

    [Fact]
    public void Average_precision_sums_precision_at_each_hit_over_the_number_of_relevant_items()
    {
        // Precision 1/1 at rank 1 and 2/3 at rank 3, over three relevant items.
        Assert.Equal((1 + 2.0 / 3) / 3, RankingMetrics.AveragePrecision(_ranked, _relevant, 4), 10);
    }

    [Fact]
    public void Coverage_gini_and_novelty_describe_exposure_over_the_catalog()
    {
        var exposure = new Dictionary<string, int> { ["a"] = 1, ["b"] = 3 };

        Assert.Equal(0.5, ExposureMetrics.Coverage(exposure, 4), 10);
        // Ascending [0, 0, 1, 3]: (1 * 1 + 3 * 3) / (4 * 4).
        Assert.Equal(0.625, ExposureMetrics.Gini(exposure, 4), 10);
        Assert.Equal(0.0, ExposureMetrics.Gini(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2 }, 2), 10);
        // a: half the users, 1 bit, shown once; b: every user, 0 bits, shown three times.
        Assert.Equal(0.25, ExposureMetrics.Novelty(exposure, new Dictionary<string, int> { ["a"] = 5, ["b"] = 10 }, 10), 10);
    }

    [Fact]
    public void Evaluation_averages_over_lists_and_summaries_give_mean_and_sample_deviation()
    {
        var evaluation = new RankingEvaluation(k: 2);
        evaluation.Add(["a", "b"], new HashSet<string> { "a" });
        evaluation.Add(["c", "d"], new HashSet<string> { "x" });
        var result = evaluation.Result(4, new Dictionary<string, int>(), 1);

        Assert.Equal(2, evaluation.Lists);
        Assert.Equal(0.25, result.PrecisionAt10, 10);
        Assert.Equal(0.5, result.HitRateAt10, 10);
        Assert.Equal(1.0, result.Coverage, 10);

        MetricSet[] runs = [result with { PrecisionAt10 = 0.2 }, result with { PrecisionAt10 = 0.4 }];
        Assert.Equal(0.3, MetricSet.Mean(runs).PrecisionAt10, 10);
        Assert.Equal(Math.Sqrt(0.02), MetricSet.StandardDeviation(runs).PrecisionAt10, 10);
        Assert.Equal(0.0, MetricSet.StandardDeviation(runs).HitRateAt10, 10);
    }
}
