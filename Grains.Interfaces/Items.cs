namespace Personalization.Interfaces;

/// <summary>
/// An item as a client describes it (upsert). An exercise has <see cref="Skills"/>; <see cref="Difficulty"/> is an
/// optional prior on a logit scale (0 = average, positive = harder), learned from answers afterwards.
/// </summary>
[GenerateSerializer, Immutable, Alias("ItemUpsert")]
public sealed record ItemUpsert(
    [property: Id(0)] string Id,
    [property: Id(1)] string[] Categories,
    [property: Id(2)] string[] Tags,
    [property: Id(3)] bool Active,
    [property: Id(4)] string[] Skills,
    [property: Id(5)] double? Difficulty);

/// <summary>
/// Of some item ids, those a shard has never seen (in the order asked) and how many more items it may still create
/// (its share of <see cref="CatalogOptions.MaxItems"/> minus what it holds).
/// </summary>
[GenerateSerializer, Immutable, Alias("NewItems")]
public sealed record NewItems([property: Id(0)] string[] Unknown, [property: Id(1)] int Room);

/// <summary>An item as the catalog knows it.</summary>
[GenerateSerializer, Immutable, Alias("ItemDetails")]
public sealed record ItemDetails(
    [property: Id(0)] string Id,
    [property: Id(1)] string[] Categories,
    [property: Id(2)] string[] Tags,
    [property: Id(3)] bool Active,
    [property: Id(4)] long InteractionCount,
    [property: Id(5)] string[] Skills,
    [property: Id(6)] double? Difficulty);

/// <summary>
/// A page of the catalog in item id order (ordinal): the items after <see cref="After"/> (from the start when null) of
/// <see cref="Category"/> whose id contains <see cref="Search"/> (ignoring case), at most <see cref="Count"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("ItemListQuery")]
public sealed record ItemListQuery(
    [property: Id(0)] string? Category,
    [property: Id(1)] string? Search,
    [property: Id(2)] string? After,
    [property: Id(3)] int Count);

/// <summary>
/// An item's current vector and categories, as handed to the user grain for its half of a learning step; on the wire
/// as <see cref="ItemVectorSurrogate"/>.
/// </summary>
[Immutable]
public sealed record ItemVector(string ItemId, float[] Vector, string[] Categories);
