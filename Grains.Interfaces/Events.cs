namespace Personalization.Interfaces;

/// <summary>One validated interaction, with its id already assigned by the gateway.</summary>
[GenerateSerializer, Immutable, Alias("UserEvent")]
public sealed record UserEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string ItemId,
    [property: Id(2)] string Type,
    [property: Id(3)] double? Value,
    [property: Id(4)] string? SessionId,
    [property: Id(5)] DateTimeOffset Timestamp);

/// <summary>Outcome of a batch of one user's events: new ones applied, repeated ids ignored.</summary>
[GenerateSerializer, Immutable, Alias("RecordResult")]
public sealed record RecordResult([property: Id(0)] int Accepted, [property: Id(1)] int Duplicates);

/// <summary>
/// What the user grain made of one user's new events: the counts, the item half of the learning steps for the catalog
/// shards (null when nothing new), and first engagements for the co-occurrence counts of every shard.
/// </summary>
[GenerateSerializer, Immutable, Alias("RecordOutcome")]
public sealed record RecordOutcome(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] InteractionBatch? ItemHalf,
    [property: Id(3)] Engagement[] Engagements);

/// <summary>One learning signal for an item: an event's weight, or a sampled negative's.</summary>
[GenerateSerializer, Immutable, Alias("ItemSignal")]
public sealed record ItemSignal(
    [property: Id(0)] string ItemId,
    [property: Id(1)] float Weight,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] bool SampledNegative);

/// <summary>
/// The item half of one user's learning steps: the user vector before them (empty for an anonymous user, which teaches
/// nothing but still counts in popularity), the signals, and the answers the exercises learn from. On the wire as
/// <see cref="InteractionBatchSurrogate"/>.
/// </summary>
[Immutable]
public sealed record InteractionBatch(float[] UserVector, ItemSignal[] Signals, AnswerSignal[] Answers);

/// <summary>
/// What a user grain needs for its half of the steps: the items' current vectors, sampled negatives, and the learner
/// model's parameters of the exercises among the items.
/// </summary>
[GenerateSerializer, Immutable, Alias("InteractionContext")]
public sealed record InteractionContext(
    [property: Id(0)] ItemVector[] Items,
    [property: Id(1)] ItemVector[] Negatives,
    [property: Id(2)] ExerciseParameters[] Exercises);

/// <summary>
/// A user's first engagement with an item, and the user's earlier items it co-occurs with (newest first):
/// <see cref="EarlierItems"/> of them in all; a shard that does not own the item is told only those it owns.
/// </summary>
[GenerateSerializer, Immutable, Alias("Engagement")]
public sealed record Engagement([property: Id(0)] string ItemId, [property: Id(1)] string[] Previous, [property: Id(2)] int EarlierItems);
