namespace Personalization.Model;

/// <summary>An item as the oversight figures see it.</summary>
public sealed record ExposedItem(string ItemId, string[] Categories, float Popularity, long Exposures);

/// <summary>Bias oversight over a window of served recommendations.</summary>
public sealed record ExposureReport(
    double Coverage,
    double GiniExposure,
    double RecommendedPopularityPercentile,
    double InteractedPopularityPercentile,
    IReadOnlyDictionary<string, CategoryExposure> Categories,
    double[] Lorenz)
{
    /// <summary>How much more popular what is recommended is than what people interact with (percentile points / 100).</summary>
    public double PopularityBias => RecommendedPopularityPercentile - InteractedPopularityPercentile;
}

public sealed record CategoryExposure(double ExposureShare, double CatalogShare);

/// <summary>
/// The figures of <c>GET /v1/admin/oversight</c>, from the exposure counts of the served lists and a summary of the
/// active catalog.
/// </summary>
public static class OversightMetrics
{
    /// <summary>Segments of the Lorenz curve in a report: its points are at every 5% of the catalog.</summary>
    public const int LorenzSteps = 20;

    /// <param name="exposed">Active items that were served at least once in the window, with their counts.</param>
    /// <param name="catalogPopularity">Popularity of every active item (the served ones included), any order.</param>
    /// <param name="categoryCounts">Active items per category.</param>
    public static ExposureReport Compute(
        IReadOnlyCollection<ExposedItem> exposed, IReadOnlyList<float> catalogPopularity, IReadOnlyDictionary<string, int> categoryCounts)
    {
        var catalogSize = catalogPopularity.Count;
        var totalExposures = exposed.Sum(i => i.Exposures);
        var sortedPopularity = catalogPopularity.ToArray();
        Array.Sort(sortedPopularity);
        var categories = categoryCounts.Keys.Union(exposed.SelectMany(i => i.Categories)).ToDictionary(
            category => category,
            category => new CategoryExposure(
                Share(exposed.Where(i => i.Categories.Contains(category)).Sum(i => i.Exposures), totalExposures),
                Share(categoryCounts.GetValueOrDefault(category), catalogSize)));
        return new ExposureReport(
            Coverage: Share(exposed.Count(i => i.Exposures > 0), catalogSize),
            GiniExposure: ExposureMetrics.Gini(exposed.Select(i => i.Exposures), catalogSize),
            RecommendedPopularityPercentile: WeightedMean(exposed.Select(i => (Percentile(sortedPopularity, i.Popularity), (double)i.Exposures))),
            // Weighted by popularity (where interactions went); per run of equal values, as most of a large catalog ties at 0.
            InteractedPopularityPercentile: WeightedMean(Runs(sortedPopularity).Select(run =>
                (MidRank(sortedPopularity, run.Start, run.End), (double)run.Value * (run.End - run.Start)))),
            Categories: categories,
            Lorenz: ExposureMetrics.Lorenz(exposed.Select(i => i.Exposures), catalogSize, LorenzSteps));
    }

    /// <summary>Mid-rank percentile of <paramref name="value"/> among <paramref name="sorted"/>, in [0, 1].</summary>
    public static double Percentile(float[] sorted, float value)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        return MidRank(sorted, LowerBound(sorted, value), LowerBound(sorted, BitIncrement(value)));
    }

    /// <summary>The mid-rank percentile of the equal values at <c>[start, end)</c> of <paramref name="sorted"/>.</summary>
    private static double MidRank(float[] sorted, int start, int end) => (start + (end - start) / 2.0) / sorted.Length;

    /// <summary>The first index whose value is at least <paramref name="value"/>: a binary search, however many ties.</summary>
    private static int LowerBound(float[] sorted, float value)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            (low, high) = sorted[middle] < value ? (middle + 1, high) : (low, middle);
        }

        return low;
    }

    /// <summary>The runs of equal values of <paramref name="sorted"/>, each as its value and <c>[start, end)</c>.</summary>
    private static IEnumerable<(float Value, int Start, int End)> Runs(float[] sorted)
    {
        for (var start = 0; start < sorted.Length;)
        {
            var end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start])
            {
                end++;
            }

            yield return (sorted[start], start, end);
            start = end;
        }
    }

    private static float BitIncrement(float value) => MathF.BitIncrement(value);

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static double WeightedMean(IEnumerable<(double Value, double Weight)> values)
    {
        double sum = 0, weights = 0;
        foreach (var (value, weight) in values)
        {
            sum += value * weight;
            weights += weight;
        }

        return weights == 0 ? 0 : sum / weights;
    }
}
