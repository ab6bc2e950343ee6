namespace Personalization.Model;

/// <summary>
/// The most recently touched distinct keys, up to a capacity; touching a key again makes it the newest.
/// Used for the items a user has interacted with ("seen").
/// </summary>
public sealed class RecentSet
{
    private readonly LinkedList<string> _order = new();
    private readonly Dictionary<string, LinkedListNode<string>> _nodes = new(StringComparer.Ordinal);

    public RecentSet(int capacity, IEnumerable<string>? oldestFirst = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        foreach (var key in oldestFirst ?? [])
        {
            Touch(key);
        }
    }

    public int Capacity { get; }

    public int Count => _nodes.Count;

    public bool Contains(string key) => _nodes.ContainsKey(key);

    public void Touch(string key)
    {
        if (_nodes.Remove(key, out var node))
        {
            _order.Remove(node);
        }

        _nodes[key] = _order.AddLast(key);
        if (_nodes.Count > Capacity)
        {
            _nodes.Remove(_order.First!.Value);
            _order.RemoveFirst();
        }
    }

    /// <summary>Keys from oldest to newest (the order to persist and to rebuild from).</summary>
    public List<string> OldestFirst() => [.. _order];

    /// <summary>Keys from newest to oldest.</summary>
    public IEnumerable<string> NewestFirst()
    {
        for (var node = _order.Last; node is not null; node = node.Previous)
        {
            yield return node.Value;
        }
    }
}
