namespace Personalization.Model;

/// <summary>Top-k accuracy of one ranked list against the items that were relevant (binary relevance).</summary>
public static class RankingMetrics
{
    /// <summary>Hits in the first k over k.</summary>
    public static double Precision(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        (double)Hits(ranked, relevant, k) / k;

    /// <summary>Hits in the first k over the number of relevant items.</summary>
    public static double Recall(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        relevant.Count == 0 ? 0 : (double)Hits(ranked, relevant, k) / relevant.Count;

    /// <summary>1 when any of the first k is relevant.</summary>
    public static double HitRate(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        Hits(ranked, relevant, k) > 0 ? 1 : 0;

    /// <summary>DCG of the first k (gain 1 per hit, discount log2(rank + 1)) over the DCG of a perfect list.</summary>
    public static double Ndcg(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        double dcg = 0, ideal = 0;
        for (var rank = 0; rank < Math.Min(k, ranked.Count); rank++)
        {
            dcg += relevant.Contains(ranked[rank]) ? Discount(rank) : 0;
        }

        for (var rank = 0; rank < Math.Min(k, relevant.Count); rank++)
        {
            ideal += Discount(rank);
        }

        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>
    /// Average precision at k as the Microsoft Recommenders benchmark computes MAP: the sum of the precision at each hit
    /// over the number of relevant items (not capped at k).
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        double sum = 0;
        var hits = 0;
        for (var rank = 0; rank < Math.Min(k, ranked.Count); rank++)
        {
            if (relevant.Contains(ranked[rank]))
            {
                sum += (double)++hits / (rank + 1);
            }
        }

        return relevant.Count == 0 ? 0 : sum / relevant.Count;
    }

    private static int Hits(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        ranked.Take(k).Count(relevant.Contains);

    private static double Discount(int rank) => 1 / Math.Log2(rank + 2);
}
