using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Items' popularity: positive interactions decayed by their age, scored with saturation. Every slot's score is kept
/// as of one time, computed once per time asked for (requests round it to the minute) and kept current by interactions.
/// </summary>
internal sealed class PopularityScores(LearningOptions settings)
{
    /// <summary>Scores of the first <see cref="_count"/> slots as of <see cref="_asOf"/>.</summary>
    private float[] _scores = [];
    private int _count;
    private DateTimeOffset? _asOf;

    public float Of(ItemRow item, DateTimeOffset asOf) =>
        DecayingCount.Score(new DecayingCount(item.Popularity, item.PopularityTicks).ValueAt(asOf, settings.PopularityHalfLife), settings.PopularitySaturation);

    /// <summary>Counts a positive interaction with the item at <paramref name="slot"/>.</summary>
    public void Add(int slot, ItemRow item, DateTimeOffset at)
    {
        var popularity = new DecayingCount(item.Popularity, item.PopularityTicks).Add(1, at, settings.PopularityHalfLife);
        (item.Popularity, item.PopularityTicks) = (popularity.Value, popularity.AtTicks);
        if (slot < _count)
        {
            _scores[slot] = Of(item, _asOf!.Value);
        }
    }

    /// <summary>Every slot's score as of <paramref name="asOf"/>.</summary>
    public ReadOnlySpan<float> All(ShardItems items, DateTimeOffset asOf)
    {
        var from = _asOf == asOf ? _count : 0;
        if (_scores.Length < items.Count)
        {
            Array.Resize(ref _scores, Math.Max(items.Count, _scores.Length * 3 / 2));
        }

        for (var slot = from; slot < items.Count; slot++)
        {
            _scores[slot] = Of(items[slot], asOf);
        }

        (_asOf, _count) = (asOf, items.Count);
        return _scores.AsSpan(0, items.Count);
    }
}
