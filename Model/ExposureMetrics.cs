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
    public static double Gini(IReadOnlyDictionary<string, int> exposure, int catalogSize)
    {
        var counts = exposure.Values.Where(c => c > 0).Order().ToList();
        var n = Math.Max(catalogSize, counts.Count);
        double total = counts.Sum();
        if (total == 0 || n == 0)
        {
            return 0;
        }

        // Zeros come first in ascending order: the shown items hold ranks n - counts.Count + 1 .. n.
        double weighted = 0;
        var offset = n - counts.Count;
        for (var i = 0; i < counts.Count; i++)
        {
            var rank = offset + i + 1;
            weighted += (2.0 * rank - n - 1) * counts[i];
        }

        return weighted / (n * total);
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
