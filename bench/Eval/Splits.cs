using Personalization.Bench.Data;
using Personalization.Model;

namespace Personalization.Bench.Eval;

/// <summary>How interactions are divided into what the service learns from and what it is judged on.</summary>
public static class Splits
{
    /// <summary>
    /// Each item's interactions shuffled (seeded) and split: round(ratio * n) to training, the rest to test
    /// (the stratified split of the Microsoft Recommenders MovieLens benchmark, stratified by item).
    /// </summary>
    public static (List<Interaction> Train, List<Interaction> Test) ByItem(IEnumerable<Interaction> interactions, double ratio, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        var train = new List<Interaction>();
        var test = new List<Interaction>();
        foreach (var item in interactions.GroupBy(i => i.ItemId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = item.OrderBy(i => i.Index).ToArray();
            for (var i = shuffled.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            var cut = (int)Math.Round(ratio * shuffled.Length, MidpointRounding.ToEven);
            train.AddRange(shuffled[..cut]);
            test.AddRange(shuffled[cut..]);
        }

        return (train, test);
    }

    /// <summary>Each user's latest interaction held out; the rest is training.</summary>
    public static (List<Interaction> Train, Dictionary<string, Interaction> HeldOut) LatestPerUser(IEnumerable<Interaction> interactions)
    {
        var heldOut = interactions
            .GroupBy(i => i.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(i => (i.Timestamp, i.Index))!, StringComparer.Ordinal);
        return ([.. interactions.Where(i => heldOut[i.UserId] != i)], heldOut);
    }
}
