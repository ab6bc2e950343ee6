using Personalization.Interfaces;

namespace Personalization.Grains.Users;

/// <summary>Item vectors before the steps, the negatives still to hand out, and those used (for the item halves).</summary>
internal sealed class StepContext(InteractionContext context)
{
    private int _nextNegative;

    public Dictionary<string, ItemVector> Items { get; } = ById(context.Items, i => i.ItemId);

    public List<(string ItemId, DateTimeOffset At)> UsedNegatives { get; } = [];

    public Dictionary<string, ExerciseParameters> Exercises { get; } = ById(context.Exercises, e => e.ItemId);

    /// <summary>What the exercises' shards learn from, in the order of the answers.</summary>
    public List<AnswerSignal> Answers { get; } = [];

    /// <summary>The first of each id (an item may come twice).</summary>
    private static Dictionary<string, T> ById<T>(T[] values, Func<T, string> id)
    {
        var byId = new Dictionary<string, T>(values.Length, StringComparer.Ordinal);
        foreach (var value in values)
        {
            byId.TryAdd(id(value), value);
        }

        return byId;
    }

    /// <summary>Up to <paramref name="count"/> negatives for one event, never the event's own item.</summary>
    public IEnumerable<ItemVector> TakeNegatives(int count, string itemId, DateTimeOffset at)
    {
        for (var taken = 0; taken < count && _nextNegative < context.Negatives.Length; _nextNegative++)
        {
            var negative = context.Negatives[_nextNegative];
            if (negative.ItemId != itemId)
            {
                UsedNegatives.Add((negative.ItemId, at));
                taken++;
                yield return negative;
            }
        }
    }
}
