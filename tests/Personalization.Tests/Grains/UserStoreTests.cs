using Personalization.Grains.Journal;
using Personalization.Grains.Users;
using Personalization.Interfaces;
using Personalization.Silo.Journal;

namespace Personalization.Tests.Grains;

/// <summary>A user's journal and snapshot bookkeeping, without the grain: sequences, when a snapshot is due, erasure order.</summary>
public sealed class UserStoreTests
{
    private const string User = "user-1";

    private readonly List<string> _calls = [];
    private readonly MemoryState _state;
    private readonly RecordingJournal _journal;

    public UserStoreTests()
    {
        _state = new MemoryState(_calls);
        _journal = new RecordingJournal(_calls);
    }

    [Fact]
    public async Task A_snapshot_is_due_every_SnapshotEvery_appends_and_drops_the_journal_entries_it_holds()
    {
        var store = new UserStore(_state, _journal, User);
        for (var i = 1; i < UserLimits.SnapshotEvery; i++)
        {
            Assert.False(await store.AppendAsync(Events(i)));
        }

        Assert.True(await store.AppendAsync(Events(UserLimits.SnapshotEvery)));
        Assert.True(store.SnapshotBehind);

        await store.SnapshotAsync(["item-1"]);

        Assert.False(store.SnapshotBehind);
        Assert.Equal(UserLimits.SnapshotEvery, _state.Stored!.JournalSequence);
        Assert.Equal(["item-1"], _state.Stored.Seen);
        Assert.Empty(await _journal.ReadAsync(User, 0));
        Assert.Equal(["write state", $"truncate {UserLimits.SnapshotEvery}"], _calls.Where(call => !call.StartsWith("append", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_activation_replays_the_entries_after_its_snapshot_and_appends_after_them()
    {
        var first = new UserStore(_state, _journal, User);
        await first.AppendAsync(Events(1));
        await first.SnapshotAsync([]);
        await first.AppendAsync(Events(2));
        await first.AppendAsync(Events(3));

        _state.State = _state.Stored!;
        var next = new UserStore(_state, _journal, User);
        var entries = await next.UnsnapshottedAsync();
        Assert.Equal([2L, 3L], entries.Select(entry => entry.Sequence));
        Assert.False(next.SnapshotBehind);
        foreach (var entry in entries)
        {
            next.Replayed(entry);
        }

        Assert.True(next.SnapshotBehind);
        await next.AppendAsync(Events(4));
        Assert.Equal("append 4", _calls[^1]);
    }

    [Fact]
    public async Task An_append_that_failed_leaves_its_sequence_to_the_next_one()
    {
        var store = new UserStore(_state, _journal, User);
        await store.AppendAsync(Events(1));
        _journal.FailNextAppend = true;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AppendAsync(Events(2)));
        await store.AppendAsync(Events(3));

        Assert.Equal(["append 1", "append 2", "append 2"], _calls);
        Assert.Equal([1L, 2L], (await _journal.ReadAsync(User, 0)).Select(entry => entry.Sequence));
    }

    [Fact]
    public async Task Erasing_deletes_the_journal_then_the_state_row_then_purges_and_starts_over()
    {
        var store = new UserStore(_state, _journal, User);
        await store.AppendAsync(Events(1));
        await store.SnapshotAsync([]);
        await store.AppendAsync(Events(2));
        _calls.Clear();

        await store.EraseAsync();

        Assert.Equal(["erase journal", "clear state", "purge"], _calls);
        Assert.Equal(0, store.State.JournalSequence);
        Assert.False(store.SnapshotBehind);
        await store.AppendAsync(Events(3));
        Assert.Equal("append 1", _calls[^1]);
    }

    private static UserEvent[] Events(int n) => [new UserEvent($"event-{n}", "item-1", "click", null, null, DateTimeOffset.UnixEpoch)];

    /// <summary>The memory journal, with each call logged.</summary>
    private sealed class RecordingJournal(List<string> calls) : IEventJournal
    {
        private readonly MemoryEventJournal _inner = new();

        public bool FailNextAppend { get; set; }

        public Task AppendAsync(string userId, long sequence, UserEvent[] events)
        {
            calls.Add($"append {sequence}");
            if (FailNextAppend)
            {
                FailNextAppend = false;
                return Task.FromException(new InvalidOperationException("The journal failed (test)."));
            }

            return _inner.AppendAsync(userId, sequence, events);
        }

        public Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence) => _inner.ReadAsync(userId, afterSequence);

        public Task TruncateAsync(string userId, long throughSequence)
        {
            calls.Add($"truncate {throughSequence}");
            return _inner.TruncateAsync(userId, throughSequence);
        }

        public Task EraseUserAsync(string userId)
        {
            calls.Add("erase journal");
            return _inner.EraseUserAsync(userId);
        }

        public Task PurgeDeletedAsync()
        {
            calls.Add("purge");
            return _inner.PurgeDeletedAsync();
        }
    }

    /// <summary>A grain state kept in memory; a write keeps a copy of what the store sets (sequence, seen items).</summary>
    private sealed class MemoryState(List<string> calls) : IPersistentState<UserState>
    {
        public UserState State { get; set; } = new();

        /// <summary>The state as last written (null: never, or cleared).</summary>
        public UserState? Stored { get; private set; }

        public string? Etag => null;

        public bool RecordExists => Stored is not null;

        public Task ClearStateAsync()
        {
            calls.Add("clear state");
            Stored = null;
            return Task.CompletedTask;
        }

        public Task WriteStateAsync()
        {
            calls.Add("write state");
            Stored = new UserState { JournalSequence = State.JournalSequence, Seen = [.. State.Seen] };
            return Task.CompletedTask;
        }

        public Task ReadStateAsync() => Task.CompletedTask;
    }
}
