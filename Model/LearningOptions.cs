namespace Personalization.Model;

/// <summary>Hyper-parameters of the online learner and the query blend. Bound from configuration section "Learning".</summary>
public sealed record LearningOptions
{
    public const string SectionName = "Learning";

    /// <summary>Latent dimension d of user and item vectors.</summary>
    public int Dimension { get; init; } = 64;

    /// <summary>SGD step size for the user's long-term vector.</summary>
    public float UserLearningRate { get; init; } = 0.1f;

    /// <summary>SGD step size for item vectors (smaller: an item hears from many users).</summary>
    public float ItemLearningRate { get; init; } = 0.02f;

    /// <summary>L2 shrinkage applied with every step.</summary>
    public float Regularization { get; init; } = 0.01f;

    /// <summary>Sampled negative items pushed away per positive event.</summary>
    public int NegativeSamples { get; init; } = 2;

    /// <summary>Weight of a sampled negative relative to a positive event.</summary>
    public float NegativeWeight { get; init; } = 0.3f;

    /// <summary>Norm of the metadata part of a new item's vector.</summary>
    public float InitialItemNorm { get; init; } = 1f;

    /// <summary>Norm of the per-item random part of a new item's vector.</summary>
    public float InitialNoiseNorm { get; init; } = 0.1f;

    /// <summary>Weight of a tag relative to a category in the starting vector.</summary>
    public float TagWeight { get; init; } = 0.5f;

    /// <summary>Share of the newest item in the session vector (exponential moving average).</summary>
    public float SessionRate { get; init; } = 0.35f;

    /// <summary>Share of the session direction in the query (0: long-term only, 1: session only).</summary>
    public float SessionBlend { get; init; } = 0.5f;

    /// <summary>A session ends after this much idle time (event time).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Weight of popularity for a user without history; it fades as the user's history grows.</summary>
    public float PopularityWeight { get; init; } = 0.5f;

    /// <summary>Interactions after which the popularity blend has halved.</summary>
    public float ColdStartInteractions { get; init; } = 5f;

    /// <summary>Half-life of the popularity counters.</summary>
    public TimeSpan PopularityHalfLife { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Decayed interaction count at which an item's popularity score reaches one half.</summary>
    public float PopularitySaturation { get; init; } = 10f;

    /// <summary>Weight of a 0.5-star rating; a 5-star rating weighs 1 and values in between map linearly.</summary>
    public float LowestRatingWeight { get; init; } = 0.2f;

    /// <summary>Weight of the item co-occurrence (Jaccard) score relative to the vector score.</summary>
    public float CoOccurrenceWeight { get; init; } = 100f;

    /// <summary>
    /// Item similarity c / (n_candidate^e * n_history^(1 - e)) from co-occurrences c and user counts n: 0.5 is the cosine,
    /// larger favours rarer candidates.
    /// </summary>
    public float SimilarityExponent { get; init; } = 0.5f;

    /// <summary>A co-occurrence counts (previous items in the window + 1)^-e: heavy users say less about each pair.</summary>
    public float UserDegreeExponent { get; init; } = 0.5f;

    /// <summary>Most recent distinct items of the user that a query scores against (co-occurrence part).</summary>
    public int HistoryLength { get; init; } = 200;

    /// <summary>Most recent distinct items of the user a new engagement is counted as co-occurring with.</summary>
    public int CoOccurrenceWindow { get; init; } = 20;

    /// <summary>Extra weight of the user's latest events in their affinity (1 + boost for an event just now).</summary>
    public float RecentBoost { get; init; } = 100f;

    /// <summary>Half-life of the recent boost: an event's age is taken at the time of the request.</summary>
    public TimeSpan AffinityHalfLife { get; init; } = TimeSpan.FromMinutes(1);
}
