namespace Personalization.Grains.Catalog;

/// <summary>
/// One shared array per distinct list of labels (categories, tags) in a shard: catalogs repeat a few labels over many
/// items, and a private array and strings per item would cost more than the rest of the item's metadata. Label arrays
/// are never mutated. Each list counts the items that hold it and is dropped when none does any more, so that items
/// relabelled again and again do not leave their old lists behind.
/// </summary>
internal sealed class LabelSets
{
    private readonly Dictionary<string, (string[] Labels, int Holders)> _sets = new(StringComparer.Ordinal);

    /// <summary>Distinct non-empty lists held by some item.</summary>
    public int Count => _sets.Count;

    /// <summary>The shared array equal to <paramref name="labels"/>, for one more item that holds it.</summary>
    public string[] Intern(string[] labels)
    {
        if (labels.Length == 0)
        {
            return [];
        }

        var key = Key(labels);
        var shared = _sets.TryGetValue(key, out var set) ? set.Labels : labels;
        _sets[key] = (shared, set.Holders + 1);
        return shared;
    }

    /// <summary>One item no longer holds <paramref name="labels"/> (an array <see cref="Intern"/> returned).</summary>
    public void Release(string[] labels)
    {
        var key = Key(labels);
        if (labels.Length == 0 || !_sets.TryGetValue(key, out var set))
        {
            return;
        }

        if (set.Holders <= 1)
        {
            _sets.Remove(key);
        }
        else
        {
            _sets[key] = set with { Holders = set.Holders - 1 };
        }
    }

    /// <summary>Length-prefixed, so that no two different lists share a key.</summary>
    private static string Key(string[] labels) => string.Concat(labels.Select(label => $"{label.Length}:{label}"));
}
