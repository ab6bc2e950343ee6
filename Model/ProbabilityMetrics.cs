namespace Personalization.Model;

/// <summary>How well predicted probabilities of success match outcomes (knowledge tracing).</summary>
public static class ProbabilityMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random right answer got a higher prediction than a random wrong
    /// one, ties counting one half (Mann-Whitney U with average ranks). Outcomes at or above 0.5 count as right.
    /// </summary>
    public static double Auc(IReadOnlyList<double> predicted, IReadOnlyList<double> outcomes)
    {
        var order = Enumerable.Range(0, predicted.Count).OrderBy(i => predicted[i]).ToArray();
        double positives = 0, rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && predicted[order[end]] == predicted[order[start]])
            {
                end++;
            }

            // Ranks start + 1 .. end share their average.
            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (outcomes[order[i]] >= 0.5)
                {
                    positives++;
                    rankSum += rank;
                }
            }

            start = end;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    public static double Rmse(IReadOnlyList<double> predicted, IReadOnlyList<double> outcomes) =>
        Math.Sqrt(predicted.Select((p, i) => (p - outcomes[i]) * (p - outcomes[i])).Average());

    /// <summary>Share of answers on the side of 0.5 the prediction was on.</summary>
    public static double Accuracy(IReadOnlyList<double> predicted, IReadOnlyList<double> outcomes) =>
        predicted.Select((p, i) => p >= 0.5 == outcomes[i] >= 0.5).Average(hit => hit ? 1.0 : 0.0);
}
