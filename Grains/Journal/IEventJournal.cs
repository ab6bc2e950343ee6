using Personalization.Interfaces;

namespace Personalization.Grains.Journal;

/// <summary>
/// The durable log of accepted events, per user. Appends from all grains of a silo are committed together (group
/// commit), so that one fsync acknowledges many events; the user's grain state is a snapshot written less often.
/// </summary>
public interface IEventJournal
{
    /// <summary>
    /// Appends one entry (a user's events from one request) at <paramref name="sequence"/>, the user's next sequence
    /// number. Completes once committed; fails with InconsistentStateException when the sequence is already taken
    /// (another activation of the same user wrote it).
    /// </summary>
    Task AppendAsync(string userId, long sequence, UserEvent[] events);

    /// <summary>Entries after <paramref name="afterSequence"/>, in order: what the last snapshot does not hold yet.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence);

    /// <summary>Drops the entries up to <paramref name="throughSequence"/>, once a snapshot holds them.</summary>
    Task TruncateAsync(string userId, long throughSequence);

    /// <summary>Deletes every entry of the user (erasure, opt-out).</summary>
    Task EraseUserAsync(string userId);

    /// <summary>Makes rows deleted so far unrecoverable from the store's files (SQLite: checkpoint and truncate the WAL).</summary>
    Task PurgeDeletedAsync();
}

/// <summary>One journal entry: a user's events from one request.</summary>
public sealed record JournalEntry(long Sequence, UserEvent[] Events);
