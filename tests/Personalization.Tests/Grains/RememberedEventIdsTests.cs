using Personalization.Grains.Users;
using Personalization.Interfaces;

namespace Personalization.Tests.Grains;

/// <summary>The ids of a user's remembered events, scanned while the history is short and indexed once it is longer.</summary>
public sealed class RememberedEventIdsTests
{
    private static UserEvent Event(int i) => new($"e{i}", "item", "click", null, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Knows_exactly_the_ids_of_the_history_as_it_grows_past_the_scan_and_is_trimmed()
    {
        var ids = new RememberedEventIds();
        var history = new List<UserEvent>();
        for (var i = 0; i < RememberedEventIds.ScanLimit * 3; i++)
        {
            Assert.False(ids.Contains(history, $"e{i}"));
            history.Add(Event(i));
            ids.Added($"e{i}");
            Assert.True(ids.Contains(history, $"e{i}"));
            Assert.True(ids.Contains(history, "e0"));
        }

        foreach (var old in history.Take(RememberedEventIds.ScanLimit * 2))
        {
            ids.Removed(old.EventId);
        }

        history.RemoveRange(0, RememberedEventIds.ScanLimit * 2);
        Assert.False(ids.Contains(history, "e0"));
        Assert.False(ids.Contains(history, $"e{(RememberedEventIds.ScanLimit * 2) - 1}"));
        Assert.True(ids.Contains(history, $"e{RememberedEventIds.ScanLimit * 2}"));
    }

    [Fact]
    public void After_a_reset_follows_the_history_that_replaced_the_old_one()
    {
        var ids = new RememberedEventIds();
        var history = Enumerable.Range(0, RememberedEventIds.ScanLimit * 2).Select(Event).ToList();
        Assert.True(ids.Contains(history, "e1"));

        history = [.. history.Skip(RememberedEventIds.ScanLimit + 5)];
        ids.Reset();

        Assert.False(ids.Contains(history, "e1"));
        Assert.True(ids.Contains(history, $"e{RememberedEventIds.ScanLimit + 5}"));
    }
}
