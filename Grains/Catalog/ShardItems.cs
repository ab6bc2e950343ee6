using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A shard's items by slot (slot = page * <see cref="ItemPage.Rows"/> + row), their vectors and the id -> slot index.
/// Held in pages so that the catalog grows without copying and is written a changed page at a time.
/// </summary>
internal sealed class ShardItems(int dimension)
{
    private readonly List<ItemPage> _pages = [];

    /// <summary>Each page's vector array, for the scan (a page's array is replaced while it grows).</summary>
    private readonly List<float[]> _vectorPages = [];

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public int Dimension => dimension;

    public IReadOnlyList<ItemPage> Pages => _pages;

    public RowPages Vectors => new(_vectorPages, ItemPage.Rows, dimension);

    public ItemRow this[int slot] => new(_pages[slot / ItemPage.Rows], slot % ItemPage.Rows);

    public IEnumerable<ItemRow> All => Enumerable.Range(0, Count).Select(slot => this[slot]);

    /// <summary>Takes over pages read from storage, in page order (every page but the last full).</summary>
    public void Load(ItemPage page)
    {
        if (_pages.Count > 0 && !_pages[^1].IsFull)
        {
            throw new InvalidOperationException($"Page {_pages.Count - 1} of the shard is not full but page {_pages.Count} follows it.");
        }

        _pages.Add(page);
        _vectorPages.Add(page.Vectors);
        for (var row = 0; row < page.Count; row++)
        {
            _slots[page.Ids[row]] = Count++;
        }
    }

    public bool TryGetSlot(string itemId, out int slot) => _slots.TryGetValue(itemId, out slot);

    /// <summary>Appends an active item with no metadata and a zero vector; returns its slot.</summary>
    public int Add(string itemId)
    {
        if (_pages.Count == 0 || _pages[^1].IsFull)
        {
            // A shard that has filled a page is a large one: its next page is allocated whole, since growing a page by
            // doubling leaves about as much large-object garbage as the page itself.
            var page = new ItemPage();
            if (_pages.Count > 0)
            {
                page.Reserve(ItemPage.Rows, dimension);
            }

            _pages.Add(page);
            _vectorPages.Add(page.Vectors);
        }

        var last = _pages[^1];
        last.Add(itemId, dimension);
        _vectorPages[^1] = last.Vectors;
        _slots[itemId] = Count;
        return Count++;
    }

    /// <summary>Room in the id index for <paramref name="items"/>, grown at least twofold so that a catalog imported in many calls is not re-indexed on each.</summary>
    public void EnsureCapacity(int items)
    {
        if (items > _slots.EnsureCapacity(0))
        {
            _slots.EnsureCapacity(Math.Max(items, 2 * _slots.Count));
        }
    }

    public ReadOnlySpan<float> Vector(int slot) => Vectors.Row(slot);

    /// <summary>The item's vector to change in place; its page counts as changed.</summary>
    public Span<float> VectorToChange(int slot)
    {
        var page = _pages[slot / ItemPage.Rows];
        page.Changed = true;
        return page.Vectors.AsSpan(slot % ItemPage.Rows * dimension, dimension);
    }
}
