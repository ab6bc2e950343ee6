namespace Personalization.Interfaces;

/// <summary>The public profile of a user.</summary>
[GenerateSerializer, Immutable, Alias("UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] long InteractionCount,
    [property: Id(1)] string[] TopCategories,
    [property: Id(2)] DateTimeOffset? LastSeen);
