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

/// <summary>One event's learning signal for an item, sent by the user grain to the owning shard.</summary>
[GenerateSerializer, Immutable, Alias("ItemSignal")]
public sealed record ItemSignal(
    [property: Id(0)] string ItemId,
    [property: Id(1)] float Weight,
    [property: Id(2)] DateTimeOffset Timestamp);

/// <summary>A user's events for one shard: the user vector before the step, and the signals.</summary>
[GenerateSerializer, Immutable, Alias("InteractionBatch")]
public sealed record InteractionBatch(
    [property: Id(0)] float[] UserVector,
    [property: Id(1)] ItemSignal[] Signals,
    [property: Id(2)] int NegativeSamples);

/// <summary>What the user grain needs for its half of the step: the items' vectors before it and sampled negatives.</summary>
[GenerateSerializer, Immutable, Alias("InteractionFeedback")]
public sealed record InteractionFeedback(
    [property: Id(0)] ItemVector[] Items,
    [property: Id(1)] ItemVector[] Negatives);

/// <summary>A user's first engagement with an item, and the user's earlier items it co-occurs with (newest first).</summary>
[GenerateSerializer, Immutable, Alias("Engagement")]
public sealed record Engagement([property: Id(0)] string ItemId, [property: Id(1)] string[] Previous);
