using System.Runtime.InteropServices;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// One shard's learned state beside its items: co-occurrence counts and learner-model weights. The items themselves are
/// stored a page per storage row (<see cref="ItemPage"/>) and the co-occurrence rows in parts (<see cref="PairsPart"/>),
/// so that a change writes only the pages and parts it touched.
/// </summary>
[GenerateSerializer, Alias("CatalogShardState")]
public sealed class CatalogShardState
{
    /// <summary>Items as shards stored them before pages; read once on activation, moved into pages, then emptied.</summary>
    [Id(0)] public List<LegacyCatalogItem> LegacyItems { get; set; } = [];

    /// <summary>The vectors of <see cref="LegacyItems"/>, row-major (slot i at [i*d, (i+1)*d)).</summary>
    [Id(1)] public float[] LegacyVectors { get; set; } = [];

    /// <summary>Distinct users per item, for every item of the catalog (see <c>CoOccurrenceIndex</c>).</summary>
    [Id(2)] public Dictionary<string, int> Occurrences { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Co-occurrence rows as shards stored them before <see cref="PairRow"/>; read once on activation, moved into <see cref="Pairs"/>.</summary>
    [Id(3)] public Dictionary<string, Dictionary<int, float>> LegacyPairs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Learner-model weights every skill of this shard's exercises shares (see <c>KnowledgeTracing</c>).</summary>
    [Id(4)] public double[] SharedWeights { get; set; } = [];

    /// <summary>Learner-model weights of each skill of this shard's exercises, added to the shared ones.</summary>
    [Id(5)] public Dictionary<string, double[]> SkillWeights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// For an item id, the (weighted) users it shares with each of this shard's slots. Stored in parts
    /// (<see cref="PairsPart"/>); rows found here in storage were stored before parts and move into them on activation.
    /// </summary>
    [Id(6)] public Dictionary<string, PairRow> Pairs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy of the learned state but its rows (stored in parts) and the legacy fields, to store while the shard learns on.</summary>
    public CatalogShardState Snapshot() => new()
    {
        Occurrences = new(Occurrences, StringComparer.Ordinal),
        SharedWeights = [.. SharedWeights],
        SkillWeights = SkillWeights.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal),
    };
}

/// <summary>
/// How a <see cref="PairRow"/> is stored: its entries' slots then counts as raw bytes (little-endian, as the runtime
/// holds them), so that storing a busy shard's millions of entries is a copy per row rather than a codec call per
/// value (0.18-0.46 s for a shard's learned state, on a core taken from requests). <see cref="Slots"/> and
/// <see cref="Counts"/> hold rows stored before the packed form; they are read, never written.
/// </summary>
[GenerateSerializer, Alias("PairRow")]
public readonly record struct PairRowSurrogate(
    [property: Id(0)] int[]? Slots,
    [property: Id(1)] float[]? Counts,
    [property: Id(2)] int Count,
    [property: Id(3)] byte[]? Packed);

[RegisterConverter]
public sealed class PairRowConverter : IConverter<PairRow, PairRowSurrogate>
{
    public PairRow ConvertFromSurrogate(in PairRowSurrogate surrogate)
    {
        if (surrogate.Packed is not { } packed)
        {
            return new(surrogate.Slots!, surrogate.Counts!, surrogate.Count);
        }

        var count = surrogate.Count;
        var slots = MemoryMarshal.Cast<byte, int>(packed.AsSpan(0, count * sizeof(int))).ToArray();
        var counts = MemoryMarshal.Cast<byte, float>(packed.AsSpan(count * sizeof(int), count * sizeof(float))).ToArray();
        return new(slots, counts, count);
    }

    public PairRowSurrogate ConvertToSurrogate(in PairRow value)
    {
        var packed = new byte[value.Count * (sizeof(int) + sizeof(float))];
        MemoryMarshal.AsBytes(value.Slots).CopyTo(packed);
        MemoryMarshal.AsBytes(value.Counts).CopyTo(packed.AsSpan(value.Count * sizeof(int)));
        return new(null, null, value.Count, packed);
    }
}

/// <summary>An item as shards stored it before pages (one object per item); kept only to read such state.</summary>
[GenerateSerializer, Alias("CatalogItem")]
public sealed class LegacyCatalogItem
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public string[] Categories { get; set; } = [];

    [Id(2)] public string[] Tags { get; set; } = [];

    [Id(3)] public bool Active { get; set; } = true;

    [Id(4)] public long InteractionCount { get; set; }

    [Id(5)] public double Popularity { get; set; }

    [Id(6)] public long PopularityTicks { get; set; }

    [Id(7)] public string[] Skills { get; set; } = [];

    [Id(8)] public double Difficulty { get; set; }

    [Id(9)] public long Answers { get; set; }
}
