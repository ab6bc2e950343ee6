using Personalization.Interfaces;

namespace Personalization.Grains.Catalog;

/// <summary>Browsing a shard's items: a filter and a page in id order, for people looking through the catalog.</summary>
internal static class CatalogListing
{
    /// <summary>
    /// The items of <paramref name="query"/>'s page. A scan of the shard: listing is for people browsing (the console),
    /// not for the request path.
    /// </summary>
    public static IEnumerable<ItemRow> Page(IEnumerable<ItemRow> items, ItemListQuery query) =>
        items
            .Where(item => query.After is null || string.CompareOrdinal(item.Id, query.After) > 0)
            .Where(item => query.Category is null || item.Categories.Contains(query.Category))
            .Where(item => query.Search is null || item.Id.Contains(query.Search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(item => item.Id, StringComparer.Ordinal)
            .Take(query.Count);
}
