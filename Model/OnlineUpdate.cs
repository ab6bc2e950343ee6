namespace Personalization.Model;

/// <summary>
/// One SGD step of implicit matrix factorization with a logistic loss (in the spirit of ISGD and BPR). The user grain
/// and the catalog shard each apply their half of the same step, computed from the vectors as they were before it.
/// </summary>
public static class OnlineUpdate
{
    /// <summary>
    /// d(loss)/d(score) scaled by the event weight: a positive weight pulls by (1 - sigmoid(score)), a negative weight
    /// pushes by sigmoid(score), so steps shrink once the model already agrees with the event.
    /// </summary>
    public static float Gradient(float score, float weight)
    {
        var probability = 1f / (1f + MathF.Exp(-score));
        return weight >= 0 ? weight * (1f - probability) : weight * probability;
    }

    /// <summary>target += rate * (gradient * other - regularization * target).</summary>
    public static void Step(Span<float> target, ReadOnlySpan<float> other, float gradient, float rate, float regularization)
    {
        var shrink = 1f - rate * regularization;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = target[i] * shrink + rate * gradient * other[i];
        }
    }

    /// <summary>Moves the session vector toward the newest item: an exponential moving average.</summary>
    public static void BlendIntoSession(Span<float> session, ReadOnlySpan<float> item, float rate)
    {
        for (var i = 0; i < session.Length; i++)
        {
            session[i] += rate * (item[i] - session[i]);
        }
    }

    /// <summary>
    /// The query a user is scored with: the unit long-term direction blended with the unit session direction.
    /// Either part may be zero or the session empty (new user, no session).
    /// </summary>
    public static float[] Query(ReadOnlySpan<float> longTerm, ReadOnlySpan<float> session, float sessionBlend)
    {
        var query = longTerm.ToArray();
        VectorMath.Normalize(query);
        if (!session.IsEmpty && !VectorMath.IsZero(session))
        {
            var sessionUnit = session.ToArray();
            VectorMath.Normalize(sessionUnit);
            var sessionWeight = VectorMath.IsZero(query) ? 1f : sessionBlend;
            for (var i = 0; i < query.Length; i++)
            {
                query[i] = query[i] * (1f - sessionWeight) + sessionUnit[i] * sessionWeight;
            }
        }

        return query;
    }

    /// <summary>How much popularity counts for a user with <paramref name="interactions"/> events: fades with history.</summary>
    public static float PopularityBlend(long interactions, LearningOptions settings) =>
        settings.PopularityWeight * settings.ColdStartInteractions / (settings.ColdStartInteractions + interactions);
}
