namespace Personalization.Model;

/// <summary>Re-ranking of a scored candidate pool.</summary>
public static class Reranking
{
    /// <summary>
    /// Maximal marginal relevance: repeatedly takes the candidate with the best
    /// (1 - diversity) * relevance - diversity * (highest cosine similarity to those already taken).
    /// Relevance is the score min-max scaled over the pool, so both terms live on [0, 1].
    /// Returns indices into <paramref name="scores"/>, in pick order.
    /// </summary>
    public static int[] Mmr(IReadOnlyList<float> scores, IReadOnlyList<float[]> vectors, int count, double diversity)
    {
        var n = scores.Count;
        count = Math.Min(count, n);
        if (n == 0)
        {
            return [];
        }

        var (min, span) = Range(scores);
        var units = vectors.Select(v =>
        {
            var unit = v.ToArray();
            VectorMath.Normalize(unit);
            return unit;
        }).ToArray();
        var maxSimilarity = new float[n];
        Array.Fill(maxSimilarity, float.NegativeInfinity);
        var taken = new bool[n];
        var picks = new int[count];
        for (var p = 0; p < count; p++)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var redundancy = p == 0 ? 0 : maxSimilarity[i];
                var value = (1 - diversity) * (scores[i] - min) / span - diversity * redundancy;
                if (value > bestValue)
                {
                    (best, bestValue) = (i, value);
                }
            }

            taken[best] = true;
            picks[p] = best;
            for (var i = 0; i < n; i++)
            {
                maxSimilarity[i] = Math.Max(maxSimilarity[i], VectorMath.Dot(units[i], units[best]));
            }
        }

        return picks;
    }

    /// <summary>
    /// Relevance with over-exposed items pushed down: each score min-max scaled over the pool, minus
    /// <paramref name="penalty"/> times the item's exposure pressure (0..1, see <see cref="ExposureLedger.Pressure"/>).
    /// Only the order within the pool changes, so the penalty trades accuracy for exposure as far as the pool reaches.
    /// </summary>
    public static float[] ExposureAdjusted(IReadOnlyList<float> scores, IReadOnlyList<float> pressure, double penalty)
    {
        if (scores.Count == 0)
        {
            return [];
        }

        var (min, span) = Range(scores);
        return [.. scores.Select((score, i) => (float)((score - min) / span - penalty * pressure[i]))];
    }

    /// <summary>
    /// Exploration slots: each of <paramref name="slots"/> positions is, with probability <paramref name="rate"/>, given
    /// to a random candidate of the reserve among its less exposed half (exposure pressure at or below the reserve's
    /// median), each candidate at most once. Returns (slot, reserve index) pairs.
    /// </summary>
    public static List<(int Slot, int Candidate)> Exploration(int slots, IReadOnlyList<float> reservePressure, double rate, Random random)
    {
        var picks = new List<(int, int)>();
        if (reservePressure.Count == 0 || rate <= 0)
        {
            return picks;
        }

        var median = reservePressure.Order().ElementAt((reservePressure.Count - 1) / 2);
        var underExposed = Enumerable.Range(0, reservePressure.Count).Where(i => reservePressure[i] <= median).ToList();
        for (var slot = 0; slot < slots && underExposed.Count > 0; slot++)
        {
            if (random.NextDouble() < rate)
            {
                var pick = random.Next(underExposed.Count);
                picks.Add((slot, underExposed[pick]));
                underExposed.RemoveAt(pick);
            }
        }

        return picks;
    }

    /// <summary>The minimum of a non-empty pool's scores and their span (never 0), for min-max scaling to [0, 1].</summary>
    private static (float Min, float Span) Range(IReadOnlyList<float> scores)
    {
        var min = scores.Min();
        return (min, Math.Max(scores.Max() - min, 1e-9f));
    }
}
