using Personalization.Model;

namespace Personalization.Bench.Eval;

/// <summary>The baseline: the items with the most interactions so far that the user has not seen.</summary>
public sealed class Popularity(IReadOnlyList<string> items)
{
    private readonly int[] _counts = new int[items.Count];
    private readonly Dictionary<string, int> _index = items.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);

    public void Add(string itemId) => _counts[_index[itemId]]++;

    /// <summary>Interactions per item, for novelty.</summary>
    public IReadOnlyDictionary<string, int> Counts() => _index.ToDictionary(p => p.Key, p => _counts[p.Value], StringComparer.Ordinal);

    /// <summary>The <paramref name="k"/> most interacted items outside <paramref name="seen"/> (ties: catalog order).</summary>
    public IReadOnlyList<string> Top(int k, IReadOnlySet<string> seen)
    {
        var top = new TopK(k);
        for (var i = 0; i < _counts.Length; i++)
        {
            if (!seen.Contains(items[i]))
            {
                top.Add(i, _counts[i]);
            }
        }

        return [.. top.ToSortedArray().Select(s => items[s.Index])];
    }

    /// <summary><paramref name="candidates"/> by interactions, most first (ties: catalog order).</summary>
    public IReadOnlyList<string> Rank(IEnumerable<string> candidates) =>
        [.. candidates.OrderByDescending(c => _counts[_index[c]]).ThenBy(c => _index[c])];
}
