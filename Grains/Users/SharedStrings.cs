using System.Runtime.InteropServices;
using Personalization.Model;

namespace Personalization.Grains.Users;

/// <summary>
/// A state read from storage holds a string of its own for every occurrence of an item id or an event type: one per
/// event of the history and again in the seen list. One instance per distinct value keeps a returning user's memory to
/// what the state says rather than to how often it was written.
/// </summary>
internal static class SharedStrings
{
    public static void Share(UserState state)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        string Item(string id)
        {
            ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(items, id, out _);
            return shared ??= id;
        }

        var history = state.Interactions;
        for (var i = 0; i < history.Count; i++)
        {
            var e = history[i];
            var (itemId, type) = (Item(e.ItemId), EventSignal.Shared(e.Type));
            if (!ReferenceEquals(itemId, e.ItemId) || !ReferenceEquals(type, e.Type))
            {
                history[i] = e with { ItemId = itemId, Type = type };
            }
        }

        for (var i = 0; i < state.Seen.Count; i++)
        {
            state.Seen[i] = Item(state.Seen[i]);
        }
    }
}
