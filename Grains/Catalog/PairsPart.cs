using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// The co-occurrence rows of the item ids that hash to one part, one storage row each (state <c>catalog-pairs-N</c>):
/// a shard writes only the parts that changed, one after another, so that no single store of its learned state takes
/// a core away from requests for long.
/// </summary>
[GenerateSerializer, Alias("PairsPart")]
public sealed class PairsPart
{
    public const int Parts = 16;

    [Id(0)] public Dictionary<string, PairRow> Rows { get; set; } = new(StringComparer.Ordinal);

    public static int Of(string itemId) => IdHash.Bucket(itemId, Parts);

    public static string StateName(int part) => $"catalog-pairs-{part}";
}
