namespace Personalization.Interfaces;

/// <summary>What a user grain contributes to a recommendation request.</summary>
[GenerateSerializer, Immutable, Alias("UserQuery")]
public sealed record UserQuery(
    [property: Id(0)] float[] Vector,
    [property: Id(1)] float PopularityWeight,
    [property: Id(2)] string[] Seen,
    [property: Id(3)] long InteractionCount,
    [property: Id(4)] string[] TopCategories,
    [property: Id(5)] (string ItemId, float Weight)[] History);

/// <summary>
/// A scoring request to one catalog shard. Score = query . item + popularityWeight * popularity + the item's
/// co-occurrence score against <see cref="History"/> (times <c>Learning:CoOccurrenceWeight</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ShardQuery")]
public sealed record ShardQuery(
    [property: Id(0)] float[] Vector,
    [property: Id(1)] float PopularityWeight,
    [property: Id(2)] string? Category,
    [property: Id(3)] string[] Exclude,
    [property: Id(4)] int Count,
    [property: Id(5)] DateTimeOffset AsOf,
    [property: Id(6)] bool IncludeVectors,
    [property: Id(7)] (string ItemId, float Weight)[] History);

/// <summary>A shard's candidate with what re-ranking and explanations need.</summary>
[GenerateSerializer, Immutable, Alias("ScoredItem")]
public sealed record ScoredItem(
    [property: Id(0)] string ItemId,
    [property: Id(1)] float Score,
    [property: Id(2)] float Popularity,
    [property: Id(3)] string[] Categories,
    [property: Id(4)] float[]? Vector);
