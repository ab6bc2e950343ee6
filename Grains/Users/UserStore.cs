using System.Runtime.CompilerServices;
using Personalization.Grains.Journal;
using Personalization.Interfaces;

namespace Personalization.Grains.Users;

/// <summary>
/// A user's durable record: the event journal, appended to before events are acknowledged, and the grain state, a
/// snapshot written every <see cref="UserLimits.SnapshotEvery"/> appends (and on deactivation) after which the journal
/// entries it holds are dropped. The entries after the snapshot are what an activation replays.
/// </summary>
internal sealed class UserStore(IPersistentState<UserState> state, IEventJournal journal, string userId)
{
    /// <summary>The last journal entry applied to <see cref="State"/>.</summary>
    private long _sequence = state.State.JournalSequence;

    private int _appendsSinceSnapshot;

    /// <summary>
    /// The grain state, held here as well: read in place from other threads (<see cref="LocalUsers"/>), where Orleans
    /// refuses access to <paramref name="state"/>.
    /// </summary>
    public UserState State { get; private set; } = state.State;

    /// <summary>Entries applied since the last snapshot: it is behind the journal.</summary>
    public bool SnapshotBehind => _appendsSinceSnapshot > 0;

    /// <summary>
    /// Appends one request's events as the next journal entry; completes once committed, with whether a snapshot is due.
    /// Pooled: this runs once per ingest request, which should not allocate a state machine for it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> AppendAsync(UserEvent[] events)
    {
        await journal.AppendAsync(userId, _sequence + 1, events);
        _sequence++;
        return ++_appendsSinceSnapshot >= UserLimits.SnapshotEvery;
    }

    /// <summary>The journal entries the snapshot does not hold, in order; each is <see cref="Replayed"/> once applied.</summary>
    public Task<IReadOnlyList<JournalEntry>> UnsnapshottedAsync() => journal.ReadAsync(userId, _sequence);

    public void Replayed(JournalEntry entry)
    {
        _sequence = entry.Sequence;
        _appendsSinceSnapshot++;
    }

    /// <summary>Writes the grain state (holding every journal entry so far), then drops those journal entries.</summary>
    public async Task SnapshotAsync(List<string> seen)
    {
        State.Seen = seen;
        State.JournalSequence = _sequence;
        await state.WriteStateAsync();
        // Written: the grain's recent set holds these items, the state need not hold them twice.
        State.Seen = [];
        _appendsSinceSnapshot = 0;
        await journal.TruncateAsync(userId, _sequence);
    }

    /// <summary>
    /// Deletes the journal entries first (so nothing can be replayed back), then the state row, then makes the deleted
    /// rows unrecoverable from the store's files; the state starts empty.
    /// </summary>
    public async Task EraseAsync()
    {
        await journal.EraseUserAsync(userId);
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        await journal.PurgeDeletedAsync();
        state.State = State = new UserState();
        (_sequence, _appendsSinceSnapshot) = (0, 0);
    }

    /// <summary>Writes the state as it is (an opt-out keeps nothing but the choice).</summary>
    public Task WriteAsync() => state.WriteStateAsync();
}
