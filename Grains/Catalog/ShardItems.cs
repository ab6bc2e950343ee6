using System.Runtime.InteropServices;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A shard's items by slot (slot = page * <see cref="ItemPage.Rows"/> + row), their vectors and the id -> slot index.
/// Held in pages so that the catalog grows without copying and is written a changed page at a time. The vectors are
/// kept beside the pages, outside the GC heap, twice: in float16 (re-scoring, learning, answers) and in 8 bits (the
/// scan's first pass).
/// </summary>
internal sealed class ShardItems(int dimension)
{
    private readonly List<ItemPage> _pages = [];

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public int Dimension => dimension;

    public IReadOnlyList<ItemPage> Pages => _pages;

    public HalfRows Exact { get; } = new(dimension, ItemPage.Rows);

    public QuantizedRows Quantized { get; } = new(dimension, ItemPage.Rows);

    public ItemRow this[int slot] => new(_pages[slot / ItemPage.Rows], slot % ItemPage.Rows);

    public IEnumerable<ItemRow> All => Enumerable.Range(0, Count).Select(slot => this[slot]);

    /// <summary>Takes over pages read from storage, in page order (every page but the last full), their vectors included.</summary>
    public void Load(ItemPage page)
    {
        if (_pages.Count > 0 && !_pages[^1].IsFull)
        {
            throw new InvalidOperationException($"Page {_pages.Count - 1} of the shard is not full but page {_pages.Count} follows it.");
        }

        _pages.Add(page);
        var vectors = MemoryMarshal.Cast<byte, float>(page.VectorBytes);
        for (var row = 0; row < page.Count; row++)
        {
            _slots[page.Ids[row]] = Count;
            Store(Count++, vectors.Slice(row * dimension, dimension));
        }

        page.VectorBytes = null;
    }

    public bool TryGetSlot(string itemId, out int slot) => _slots.TryGetValue(itemId, out slot);

    /// <summary>Appends an active item with no metadata and a zero vector; returns its slot.</summary>
    public int Add(string itemId)
    {
        if (_pages.Count == 0 || _pages[^1].IsFull)
        {
            // A shard that has filled a page is a large one: its next page is allocated whole, since growing a page by
            // doubling leaves about as much garbage as the page itself.
            var page = new ItemPage();
            if (_pages.Count > 0)
            {
                page.Reserve(ItemPage.Rows);
            }

            _pages.Add(page);
        }

        _pages[^1].Add(itemId);
        _slots[itemId] = Count;
        Store(Count, stackalloc float[dimension]);
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

    /// <summary>The item's vector, a copy in float32.</summary>
    public float[] Vector(int slot)
    {
        var vector = new float[dimension];
        Exact.Read(slot, vector);
        return vector;
    }

    /// <summary>Replaces the item's vector (rounded to nearest in float16); its page counts as changed.</summary>
    public void SetVector(int slot, ReadOnlySpan<float> vector)
    {
        _pages[slot / ItemPage.Rows].Changed = true;
        Store(slot, vector);
    }

    /// <summary>
    /// Replaces the item's vector after a learning step, rounded stochastically in float16 so that steps smaller than
    /// its precision still add up; its page counts as changed.
    /// </summary>
    public void SetLearnedVector(int slot, ReadOnlySpan<float> vector, ref DeterministicRandom random)
    {
        _pages[slot / ItemPage.Rows].Changed = true;
        Exact.SetStochastically(slot, vector, ref random);
        Quantized.Set(slot, vector);
    }

    /// <summary>A page's vectors as its snapshot stores them: float32 bytes, row-major.</summary>
    public byte[] PackedVectorsOf(int page)
    {
        var bytes = new byte[_pages[page].Count * dimension * sizeof(float)];
        if (bytes.Length > 0)
        {
            Exact.Read(page * ItemPage.Rows, MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        }

        return bytes;
    }

    private void Store(int slot, ReadOnlySpan<float> vector)
    {
        Exact.Set(slot, vector);
        Quantized.Set(slot, vector);
    }
}
