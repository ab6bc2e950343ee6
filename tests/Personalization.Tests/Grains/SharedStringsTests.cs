using Personalization.Grains.Users;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Tests.Grains;

/// <summary>A state read back from storage keeps one string per distinct item id and event type, with nothing else changed.</summary>
public sealed class SharedStringsTests
{
    [Fact]
    public void Equal_item_ids_and_types_of_a_stored_state_become_one_instance_each()
    {
        // Copies, as a deserializer makes them: equal strings, distinct instances.
        static string Copy(string value) => new(value.AsSpan());
        var at = DateTimeOffset.UnixEpoch;
        var state = new UserState
        {
            Interactions = [new("e1", Copy("item-1"), Copy("click"), null, null, at), new("e2", Copy("item-1"), Copy("rating"), 4, "s", at)],
            Seen = [Copy("item-1"), Copy("item-2")],
        };
        var before = state.Interactions.ToList();

        SharedStrings.Share(state);

        var (first, second) = (state.Interactions[0], state.Interactions[1]);
        Assert.Same(first.ItemId, second.ItemId);
        Assert.Same(first.ItemId, state.Seen[0]);
        Assert.Same("click", first.Type);
        Assert.Same(EventSignal.Rating, second.Type);
        Assert.Equal(before, state.Interactions);
        Assert.Equal(["item-1", "item-2"], state.Seen);
    }

    [Fact]
    public void An_unknown_type_is_kept_as_it_is()
    {
        var unknown = new string("no-such-type".AsSpan());
        Assert.Same(unknown, EventSignal.Shared(unknown));
    }
}
