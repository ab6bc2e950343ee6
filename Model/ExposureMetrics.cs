namespace Personalization.Model;

/// <summary>Beyond accuracy: how recommendations spread over the catalog.</summary>
public static class ExposureMetrics
{
    /// <summary>Share of the catalog that appears in at least one list.</summary>
    public static double Coverage(IReadOnlyDictionary<string, int> exposure, int catalogSize) =>
        catalogSize == 0 ? 0 : (double)exposure.Count(e => e.Value > 0) / catalogSize;

    /// <summary>
    /// Gini coefficient of exposure over the whole catalog (items never shown count as zero): 0 when every item is shown
    /// equally often, toward 1 when a few items take all the exposure.
    /// </summary>
    public static double Gini(IReadOnlyDictionary<string, int> exposure, int catalogSize) =>
        Gini(exposure.Values.Select(count => (long)count), Math.Max(catalogSize, exposure.Count));

    /// <summary>
    /// Gini coefficient of the counts over <paramref name="population"/> items, the items not listed counting zero:
    /// 0 when every item is equally exposed, toward 1 when a few items take every exposure.
    /// </summary>
    public static double Gini(IEnumerable<long> counts, int population)
    {
        var sorted = counts.Where(c => c > 0).Order().ToArray();
        var total = sorted.Sum();
        if (population == 0 || total == 0)
        {
            return 0;
        }

        // Ascending ranks 1..n; the zeros take the first population - sorted.Length ranks and add nothing.
        var offset = population - sorted.Length;
        var weighted = sorted.Select((count, i) => (double)(offset + i + 1) * count).Sum();
        return 2 * weighted / (population * (double)total) - (population + 1.0) / population;
    }

    /// <summary>
    /// The Lorenz curve of exposure over <paramref name="population"/> items (those not listed count zero): the share of
    /// all exposures held by the least exposed 0, 1/<paramref name="steps"/>, ..., all of the items, so
    /// <paramref name="steps"/> + 1 points from 0 to 1; the diagonal when exposure is equal, and also when there is none.
    /// </summary>
    public static double[] Lorenz(IEnumerable<long> counts, int population, int steps)
    {
        var sorted = counts.Where(c => c > 0).Order().ToArray();
        var total = sorted.Sum();
        if (population == 0 || total == 0)
        {
            return [.. Enumerable.Range(0, steps + 1).Select(step => (double)step / steps)];
        }

        // Exposures of the k least exposed items; the zeros come first and add nothing.
        population = Math.Max(population, sorted.Length);
        var zeros = population - sorted.Length;
        var prefix = new double[sorted.Length + 1];
        for (var i = 0; i < sorted.Length; i++)
        {
            prefix[i + 1] = prefix[i] + sorted[i];
        }

        double Cumulative(int k) => k <= zeros ? 0 : prefix[Math.Min(k, population) - zeros];

        return [.. Enumerable.Range(0, steps + 1).Select(step =>
        {
            // Linear between whole items, so that the curve does not depend on the number of steps.
            var position = (double)step * population / steps;
            var below = (int)Math.Floor(position);
            return (Cumulative(below) + (position - below) * (Cumulative(below + 1) - Cumulative(below))) / total;
        })];
    }

    /// <summary>
    /// Mean self-information -log2(p) of the recommended items, p being the share of users who interacted with the item
    /// (an item nobody touched counts as touched by one user).
    /// </summary>
    public static double Novelty(IReadOnlyDictionary<string, int> exposure, IReadOnlyDictionary<string, int> interactions, int users)
    {
        double sum = 0;
        long shown = 0;
        foreach (var (item, count) in exposure)
        {
            var p = Math.Max(1, interactions.GetValueOrDefault(item)) / (double)users;
            sum += count * -Math.Log2(Math.Min(1, p));
            shown += count;
        }

        return shown == 0 ? 0 : sum / shown;
    }
}
