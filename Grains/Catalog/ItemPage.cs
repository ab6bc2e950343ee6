using Personalization.Interfaces;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Up to <see cref="Rows"/> consecutive items of a shard, column by column. A page is the unit of persistence (a change
/// writes only the pages it touched, each its own storage row) and of growth (a full page is never copied again).
/// </summary>
[GenerateSerializer, Alias("ItemPage")]
public sealed class ItemPage
{
    /// <summary>Items per page: a multiple of the scan's block, and the rows of a chunk of the shard's vector copies.</summary>
    public const int Rows = 8192;

    [Id(0)] public int Count { get; set; }

    [Id(1)] public string[] Ids { get; set; } = [];

    [Id(3)] public string[][] Categories { get; set; } = [];

    [Id(4)] public string[][] Tags { get; set; } = [];

    /// <summary>Skills an answer to the item exercises; an item with skills is an exercise.</summary>
    [Id(5)] public string[][] Skills { get; set; } = [];

    [Id(6)] public bool[] Active { get; set; } = [];

    [Id(7)] public long[] InteractionCounts { get; set; } = [];

    /// <summary>Decayed positive-interaction counts, each as of its <see cref="PopularityTicks"/>.</summary>
    [Id(8)] public double[] Popularity { get; set; } = [];

    [Id(9)] public long[] PopularityTicks { get; set; } = [];

    /// <summary>Difficulty (logit, 0 = average): the client's prior until answers arrive, then learned from them.</summary>
    [Id(10)] public double[] Difficulty { get; set; } = [];

    [Id(11)] public long[] Answers { get; set; } = [];

    /// <summary>
    /// The page's float32 vectors as a snapshot stores them, row-major: their bytes (little-endian, as x64 and arm64 hold
    /// floats) in one block, which the serializer copies whole, where a float[] is written a codec call per value (id 2
    /// held a form never released; it is not reused). Null in a page in use: the shard holds its vectors
    /// (<see cref="ShardItems"/>).
    /// </summary>
    [Id(12)] public byte[]? VectorBytes { get; set; }

    /// <summary>Changed since it was last written (not stored).</summary>
    [field: NonSerialized]
    public bool Changed { get; set; }

    public bool IsFull => Count == Rows;

    /// <summary>Room for <paramref name="rows"/> items (at most <see cref="Rows"/>) in one step, rather than by doubling.</summary>
    public void Reserve(int rows)
    {
        if (rows > Ids.Length)
        {
            Grow(Math.Min(Rows, rows));
        }
    }

    /// <summary>Appends an active item without metadata; returns its row.</summary>
    public int Add(string id)
    {
        if (Count == Ids.Length)
        {
            Grow(Math.Min(Rows, Math.Max(16, Count * 2)));
        }

        Ids[Count] = id;
        Categories[Count] = Tags[Count] = Skills[Count] = [];
        Active[Count] = true;
        Changed = true;
        return Count++;
    }

    /// <summary>
    /// Puts the shard's shared label arrays in place of equal ones (a page read from storage has a copy per item). The
    /// labels stay what they were, so the page does not count as changed.
    /// </summary>
    internal void InternLabels(LabelSets labels)
    {
        for (var row = 0; row < Count; row++)
        {
            (Categories[row], Tags[row]) = (labels.Intern(Categories[row]), labels.Intern(Tags[row]));
        }
    }

    /// <summary>
    /// A copy holding just the page's items (no spare capacity) and their <paramref name="vectorBytes"/>, to store while
    /// the page changes on.
    /// </summary>
    public ItemPage Snapshot(byte[] vectorBytes) => new()
    {
        Count = Count,
        Ids = Ids[..Count],
        VectorBytes = vectorBytes,
        Categories = Categories[..Count],
        Tags = Tags[..Count],
        Skills = Skills[..Count],
        Active = Active[..Count],
        InteractionCounts = InteractionCounts[..Count],
        Popularity = Popularity[..Count],
        PopularityTicks = PopularityTicks[..Count],
        Difficulty = Difficulty[..Count],
        Answers = Answers[..Count],
    };

    private void Grow(int capacity)
    {
        Ids = Resized(Ids, capacity);
        Categories = Resized(Categories, capacity);
        Tags = Resized(Tags, capacity);
        Skills = Resized(Skills, capacity);
        Active = Resized(Active, capacity);
        InteractionCounts = Resized(InteractionCounts, capacity);
        Popularity = Resized(Popularity, capacity);
        PopularityTicks = Resized(PopularityTicks, capacity);
        Difficulty = Resized(Difficulty, capacity);
        Answers = Resized(Answers, capacity);
    }

    private static T[] Resized<T>(T[] column, int length)
    {
        Array.Resize(ref column, length);
        return column;
    }
}

/// <summary>One item of a page: its columns read and written in place (a write marks the page changed).</summary>
public readonly struct ItemRow(ItemPage page, int row)
{
    public string Id => page.Ids[row];

    public string[] Categories { get => page.Categories[row]; set => Set(page.Categories, value); }

    public string[] Tags { get => page.Tags[row]; set => Set(page.Tags, value); }

    public string[] Skills { get => page.Skills[row]; set => Set(page.Skills, value); }

    public bool Active { get => page.Active[row]; set => Set(page.Active, value); }

    public long InteractionCount { get => page.InteractionCounts[row]; set => Set(page.InteractionCounts, value); }

    public double Popularity { get => page.Popularity[row]; set => Set(page.Popularity, value); }

    public long PopularityTicks { get => page.PopularityTicks[row]; set => Set(page.PopularityTicks, value); }

    public double Difficulty { get => page.Difficulty[row]; set => Set(page.Difficulty, value); }

    public long Answers { get => page.Answers[row]; set => Set(page.Answers, value); }

    private void Set<T>(T[] column, T value)
    {
        column[row] = value;
        page.Changed = true;
    }
}
