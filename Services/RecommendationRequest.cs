namespace Personalization.Services;

/// <summary>What a caller asks for, validated.</summary>
public sealed record RecommendationRequest(
    int Count, string? SessionId, string? Category, string[] Exclude, bool ExcludeSeen, double Explore, double Diversity, double PopularityPenalty);

/// <summary>One entry of an answer, best first.</summary>
public sealed record RecommendedItem(string ItemId, float Score, string Reason);
