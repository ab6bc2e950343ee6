namespace Personalization.Interfaces;

/// <summary>The public profile of a user.</summary>
[GenerateSerializer, Immutable, Alias("UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] long InteractionCount,
    [property: Id(1)] string[] TopCategories,
    [property: Id(2)] DateTimeOffset? LastSeen,
    [property: Id(3)] bool Personalization);

/// <summary>
/// Everything held about a user (GDPR Art. 20): profile, consent, model state (learner state included) and stored
/// interactions.
/// </summary>
[GenerateSerializer, Immutable, Alias("UserExport")]
public sealed record UserExport(
    [property: Id(0)] UserProfile Profile,
    [property: Id(1)] float[] Vector,
    [property: Id(2)] SessionExport[] Sessions,
    [property: Id(3)] UserEvent[] Interactions,
    [property: Id(4)] string[] RecentItems,
    [property: Id(5)] Dictionary<string, double> CategoryAffinity,
    [property: Id(6)] LearnerSnapshot Learner);

/// <summary>One session's short-term vector as stored.</summary>
[GenerateSerializer, Immutable, Alias("SessionExport")]
public sealed record SessionExport(
    [property: Id(0)] string SessionId,
    [property: Id(1)] float[] Vector,
    [property: Id(2)] DateTimeOffset LastEventAt);
