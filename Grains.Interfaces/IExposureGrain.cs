namespace Personalization.Interfaces;

/// <summary>
/// Counts which items were served, over a sliding window, for bias oversight. Gateways spread served lists over
/// several partitions (key 0..Oversight:Partitions-1) so that no single grain is hot; the report merges them.
/// </summary>
[Alias("IExposureGrain")]
public interface IExposureGrain : IGrainWithIntegerKey
{
    /// <summary>Records served lists (gateways send them in batches, off the serving path).</summary>
    [Alias("RecordServed")]
    Task RecordServedAsync(ServedList[] lists);

    /// <summary>Exposure counts per item over the window ending at <paramref name="asOf"/>.</summary>
    [Alias("GetExposures")]
    Task<ExposureWindow> GetExposuresAsync(DateTimeOffset asOf);
}

/// <summary>One recommendation list as served: its items and when.</summary>
[GenerateSerializer, Immutable, Alias("ServedList")]
public sealed record ServedList([property: Id(0)] string[] ItemIds, [property: Id(1)] DateTimeOffset ServedAt);

[GenerateSerializer, Immutable, Alias("ExposureWindow")]
public sealed record ExposureWindow(
    [property: Id(0)] Dictionary<string, long> Exposures,
    [property: Id(1)] long ServedLists);

/// <summary>What oversight needs of one catalog shard: the popularity of every active item and category sizes.</summary>
[GenerateSerializer, Immutable, Alias("CatalogSummary")]
public sealed record CatalogSummary(
    [property: Id(0)] float[] Popularity,
    [property: Id(1)] Dictionary<string, int> CategoryCounts,
    [property: Id(2)] ItemStatistics[] Items);

/// <summary>An active item's categories and current popularity score.</summary>
[GenerateSerializer, Immutable, Alias("ItemStatistics")]
public sealed record ItemStatistics(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string[] Categories,
    [property: Id(2)] float Popularity);
