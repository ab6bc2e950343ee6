using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>
/// Why an item is in a list, in words a person understands, from the terms of its score: the shards score
/// <c>personal + popularityWeight * popularity</c>, personal being the user's vector and co-occurrence with the user's
/// history. An item is said to be close to the user's interests only when its personal term is what put it there;
/// a filler (a weak personal term, as a Comedy item after two Horror events) says what did: popularity, or nothing.
/// </summary>
public sealed class ListReasons
{
    /// <summary>
    /// The share of the best personal term of the pool an item needs to be called close to the user's engagement: a
    /// fresh user's vector is near-orthogonal (a random direction's cosine) to what shares nothing with their history.
    /// </summary>
    public const float CloseShare = 0.5f;

    /// <summary>Below this a personal term is float rounding of a score that holds none.</summary>
    private const float Negligible = 1e-4f;

    private readonly float _popularityWeight;
    private readonly string[] _topCategories;
    private readonly string? _category;
    private readonly float _closeFrom;

    /// <param name="pool">Every candidate the list is chosen from (its best personal term sets the bar).</param>
    public ListReasons(IEnumerable<ScoredItem> pool, float popularityWeight, string[] topCategories, string? category)
    {
        (_popularityWeight, _topCategories, _category) = (popularityWeight, topCategories, category);
        var best = pool.Select(Personal).DefaultIfEmpty(0).Max();
        _closeFrom = Math.Max(Negligible, CloseShare * best);
    }

    public string For(ScoredItem item)
    {
        var (personal, popular) = (Personal(item), Popular(item));
        if (personal > popular && personal > Negligible && item.Categories.FirstOrDefault(_topCategories.Contains) is { } shared)
        {
            return $"matches your interest in {shared}";
        }

        if (personal > popular && personal >= _closeFrom)
        {
            return "close to what you engaged with recently";
        }

        if (popular > Negligible)
        {
            return _category is not null ? $"popular in {_category}" : "popular right now";
        }

        return _category is not null ? $"to fill the list: in {_category}, nothing closer to go on" : "to fill the list: nothing closer to go on";
    }

    /// <summary>In a list of items similar to <paramref name="itemId"/> (no popularity term): similar, or a filler.</summary>
    public string ForSimilar(ScoredItem item, string itemId) =>
        Personal(item) >= _closeFrom ? $"similar to {itemId}" : $"to fill the list: nothing more similar to {itemId}";

    private float Popular(ScoredItem item) => _popularityWeight * item.Popularity;

    private float Personal(ScoredItem item) => item.Score - Popular(item);
}
