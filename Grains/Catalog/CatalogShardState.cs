namespace Personalization.Grains.Catalog;

/// <summary>
/// One shard's items. Vectors live in one contiguous array (slot i at [i*d, (i+1)*d)) so that scoring is a linear scan.
/// </summary>
[GenerateSerializer, Alias("CatalogShardState")]
public sealed class CatalogShardState
{
    [Id(0)] public List<CatalogItem> Items { get; set; } = [];

    /// <summary>Item vectors; may be longer than Items.Count * d (spare capacity).</summary>
    [Id(1)] public float[] Vectors { get; set; } = [];

    /// <summary>Distinct users per item, for every item of the catalog (see <c>CoOccurrenceIndex</c>).</summary>
    [Id(2)] public Dictionary<string, int> Occurrences { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For an item id, the (weighted) users it shares with each of this shard's slots.</summary>
    [Id(3)] public Dictionary<string, Dictionary<int, float>> Pairs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Learner-model weights every skill of this shard's exercises shares (see <c>KnowledgeTracing</c>).</summary>
    [Id(4)] public double[] SharedWeights { get; set; } = [];

    /// <summary>Learner-model weights of each skill of this shard's exercises, added to the shared ones.</summary>
    [Id(5)] public Dictionary<string, double[]> SkillWeights { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Alias("CatalogItem")]
public sealed class CatalogItem
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public string[] Categories { get; set; } = [];

    [Id(2)] public string[] Tags { get; set; } = [];

    [Id(3)] public bool Active { get; set; } = true;

    [Id(4)] public long InteractionCount { get; set; }

    /// <summary>Decayed positive-interaction count, as of <see cref="PopularityTicks"/>.</summary>
    [Id(5)] public double Popularity { get; set; }

    [Id(6)] public long PopularityTicks { get; set; }

    /// <summary>Skills an answer to this item exercises; an item with skills is an exercise.</summary>
    [Id(7)] public string[] Skills { get; set; } = [];

    /// <summary>Difficulty (logit, 0 = average): the client's prior until answers arrive, then learned from them.</summary>
    [Id(8)] public double Difficulty { get; set; }

    [Id(9)] public long Answers { get; set; }
}
