using Personalization.Model;

namespace Personalization.Tests.Model;

/// <summary>The oversight figures on a small example computed by hand.</summary>
public sealed class OversightMetricsTests
{
    // Catalog of 4 active items: a (Horror, popularity 3), b (Horror, 1), c (Comedy, 0), d (Comedy, 0).
    // Served in the window: a 3 times, b once; c and d never.
    private static readonly ExposedItem[] _exposed =
    [
        new("a", ["Horror"], 3, 3),
        new("b", ["Horror"], 1, 1),
    ];

    private static readonly float[] _catalogPopularity = [3, 1, 0, 0];

    private static readonly Dictionary<string, int> _categories = new() { ["Horror"] = 2, ["Comedy"] = 2 };

    [Fact]
    public void Coverage_is_the_share_of_active_items_served()
    {
        Assert.Equal(0.5, OversightMetrics.Compute(_exposed, _catalogPopularity, _categories).Coverage);
    }

    [Fact]
    public void Gini_counts_the_never_served_items_as_zero()
    {
        // Counts 0, 0, 1, 3 (n = 4, total 4): sum |xi - xj| over ordered pairs = 2 * (0+1+3+1+3+2) = 20; 20 / (2 * 16 * 1) = 0.625.
        Assert.Equal(0.625, OversightMetrics.Compute(_exposed, _catalogPopularity, _categories).GiniExposure, 10);
        Assert.Equal(0, ExposureMetrics.Gini([2, 2, 2], 3), 10);
    }

    [Fact]
    public void The_Lorenz_curve_runs_through_the_cumulative_shares_of_the_least_exposed()
    {
        // Counts 0, 0, 1, 3: a quarter and a half of the catalog hold nothing, three quarters hold 1 / 4, all of it 4 / 4.
        var lorenz = OversightMetrics.Compute(_exposed, _catalogPopularity, _categories).Lorenz;
        Assert.Equal(OversightMetrics.LorenzSteps + 1, lorenz.Length);
        Assert.Equal([0, 0, 0, 0.25, 1], [lorenz[0], lorenz[5], lorenz[10], lorenz[15], lorenz[20]]);
        // Between whole items the curve is a straight line: 60% of the catalog is 2.4 items, 0.4 of the third item's 1.
        Assert.Equal(0.1, lorenz[12], 10);
        // Equal exposure, or none yet, is the diagonal.
        Assert.Equal([0, 0.5, 1], ExposureMetrics.Lorenz([2, 2, 2, 2], 4, 2));
        Assert.Equal([0, 0.5, 1], ExposureMetrics.Lorenz([], 4, 2));
    }

    [Fact]
    public void Popularity_bias_compares_served_and_interacted_percentiles()
    {
        // Mid-rank percentiles among [0, 0, 1, 3]: 0 -> 0.25, 1 -> 0.625, 3 -> 0.875.
        // Served (weights 3, 1): (3 * 0.875 + 1 * 0.625) / 4 = 0.8125.
        // Interacted (weights = popularity 3, 1, 0, 0): (3 * 0.875 + 1 * 0.625) / 4 = 0.8125 as well.
        var report = OversightMetrics.Compute(_exposed, _catalogPopularity, _categories);
        Assert.Equal(0.8125, report.RecommendedPopularityPercentile, 10);
        Assert.Equal(0.8125, report.InteractedPopularityPercentile, 10);
        Assert.Equal(0, report.PopularityBias, 10);

        // Serving only the least popular item instead: percentile 0.25, a bias of 0.25 - 0.8125.
        var contrarian = OversightMetrics.Compute([new ExposedItem("c", ["Comedy"], 0, 5)], _catalogPopularity, _categories);
        Assert.Equal(-0.5625, contrarian.PopularityBias, 10);
    }

    [Fact]
    public void Percentiles_of_a_large_catalog_mostly_never_interacted_with_give_ties_their_mid_rank()
    {
        // 100,000 items at popularity 0 (mid-rank 0.5 of their 100,000 / 100,002), then 1 and 3 at the top.
        const int n = 100_002;
        float[] popularity = [.. Enumerable.Repeat(0f, n - 2), 1, 3];
        var report = OversightMetrics.Compute([new ExposedItem("zero", [], 0, 1), new ExposedItem("top", [], 3, 1)], popularity, new Dictionary<string, int>());

        var (zero, one, top) = (50_000.0 / n, (n - 1.5) / n, (n - 0.5) / n);
        Assert.Equal((zero + top) / 2, report.RecommendedPopularityPercentile, 10);
        Assert.Equal((1 * one + 3 * top) / 4, report.InteractedPopularityPercentile, 10);
        Assert.Equal(zero, OversightMetrics.Percentile([.. popularity.Order()], 0), 10);
    }

    [Fact]
    public void Category_exposure_sits_beside_the_category_share_of_the_catalog()
    {
        var categories = OversightMetrics.Compute(_exposed, _catalogPopularity, _categories).Categories;
        Assert.Equal(new CategoryExposure(1.0, 0.5), categories["Horror"]);
        Assert.Equal(new CategoryExposure(0.0, 0.5), categories["Comedy"]);
    }
}
