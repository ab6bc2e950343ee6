namespace Personalization.Grains.Catalog;

/// <summary>
/// One shared array per distinct list of labels (categories, tags) in a shard: catalogs repeat a few labels over many
/// items, and a private array and strings per item would cost more than the rest of the item's metadata. Label arrays are never mutated.
/// </summary>
internal sealed class LabelSets
{
    private readonly Dictionary<string, string[]> _sets = new(StringComparer.Ordinal);

    public string[] Intern(string[] labels)
    {
        if (labels.Length == 0)
        {
            return [];
        }

        // Length-prefixed, so that no two different lists share a key.
        var key = string.Concat(labels.Select(label => $"{label.Length}:{label}"));
        if (!_sets.TryGetValue(key, out var shared))
        {
            _sets[key] = shared = labels;
        }

        return shared;
    }
}
