namespace Personalization.Services;

/// <summary>
/// Configuration section "Ranking": service-wide defaults of the re-ranking controls, each overridable per request.
/// The shipped defaults are the accuracy-first ones (all zero).
/// </summary>
public sealed class RankingOptions
{
    public const string SectionName = "Ranking";

    /// <summary>MMR trade-off: 0 ranks by score alone, 1 by novelty against what is already listed.</summary>
    public double Diversity { get; set; }

    /// <summary>Probability that a slot goes to a less exposed item from deeper in the candidate pool.</summary>
    public double Explore { get; set; }

    /// <summary>How far popular items are pushed down the candidate pool (0..1): spreads exposure.</summary>
    public double PopularityPenalty { get; set; }
}
