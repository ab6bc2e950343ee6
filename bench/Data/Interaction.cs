namespace Personalization.Bench.Data;

/// <summary>One rating of a data set; <see cref="Index"/> is its position in the file (a stable event id).</summary>
public sealed record Interaction(int Index, string UserId, string ItemId, double Rating, DateTimeOffset Timestamp);

/// <summary>A data set: interactions in file order, and the categories of each item where known.</summary>
public sealed record DataSet(IReadOnlyList<Interaction> Interactions, IReadOnlyDictionary<string, string[]> Categories)
{
    /// <summary>Every item that appears in an interaction or in the item file.</summary>
    public IReadOnlyList<string> Items { get; } =
        [.. Interactions.Select(i => i.ItemId).Concat(Categories.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public int UserCount { get; } = Interactions.Select(i => i.UserId).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Interactions in timestamp order (file order among equal timestamps).</summary>
    public static List<Interaction> InTimeOrder(IEnumerable<Interaction> interactions) =>
        [.. interactions.OrderBy(i => i.Timestamp).ThenBy(i => i.Index)];
}
