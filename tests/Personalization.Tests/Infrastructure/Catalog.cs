namespace Personalization.Tests.Infrastructure;

/// <summary>A synthetic catalog with categories unique to one test, so tests sharing a gateway never see each other's.</summary>
public sealed class Catalog
{
    private readonly string[][] _items;

    private Catalog(string[] categories, string[][] items)
    {
        Categories = categories;
        _items = items;
    }

    public string[] Categories { get; }

    public string[] ItemsIn(int category) => _items[category];

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task<Catalog> CreateAsync(HttpClient client, int categories, int perCategory)
    {
        var key = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, categories).Select(c => $"genre{c}-{key}").ToArray();
        var items = names.Select((_, c) => Enumerable.Range(0, perCategory).Select(i => $"item-{key}-{c}-{i}").ToArray()).ToArray();
        var all = names.SelectMany((name, c) => items[c].Select(id => (object)new { id, categories = new[] { name } })).ToArray();
        foreach (var batch in all.Chunk(1000))
        {
            await client.PostItemsAsync(batch);
        }

        return new Catalog(names, items);
    }
}
