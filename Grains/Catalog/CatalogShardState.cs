namespace Personalization.Grains.Catalog;

/// <summary>
/// One shard's learned state beside its items and co-occurrence rows (state <c>catalog</c>): users per item and
/// learner-model weights. The items are stored a page per storage row (<see cref="ItemPage"/>) and the co-occurrence
/// rows in parts (<see cref="PairsPart"/>), so that a change writes only the pages and parts it touched.
/// </summary>
/// <remarks>Ids 0, 1, 3 and 6 held forms of this state that were never released; they are not reused.</remarks>
[GenerateSerializer, Alias("CatalogShardState")]
public sealed class CatalogShardState
{
    /// <summary>Distinct users per item, for every item of the catalog (see <c>CoOccurrenceIndex</c>).</summary>
    [Id(2)] public Dictionary<string, int> Occurrences { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Learner-model weights every skill of this shard's exercises shares (see <c>KnowledgeTracing</c>).</summary>
    [Id(4)] public double[] SharedWeights { get; set; } = [];

    /// <summary>Learner-model weights of each skill of this shard's exercises, added to the shared ones.</summary>
    [Id(5)] public Dictionary<string, double[]> SkillWeights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sums of the squared gradients of <see cref="SharedWeights"/>, which size their steps (<c>AdaptiveWeights</c>).</summary>
    [Id(7)] public double[] SharedGradients { get; set; } = [];

    /// <summary>Sums of the squared gradients of each skill's weights.</summary>
    [Id(8)] public Dictionary<string, double[]> SkillGradients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy, to store while the shard learns on.</summary>
    public CatalogShardState Snapshot() => new()
    {
        Occurrences = new(Occurrences, StringComparer.Ordinal),
        SharedWeights = [.. SharedWeights],
        SkillWeights = Copy(SkillWeights),
        SharedGradients = [.. SharedGradients],
        SkillGradients = Copy(SkillGradients),
    };

    private static Dictionary<string, double[]> Copy(Dictionary<string, double[]> rows) =>
        rows.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);
}
