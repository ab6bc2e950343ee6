using System.Collections.Concurrent;
using Personalization.Grains.Journal;
using Personalization.Interfaces;

namespace Personalization.Silo.Journal;

/// <summary>
/// A journal that keeps entries in this process only: for the evaluation bench, where learning is measured, not
/// durability. Never used by the service's own hosting modes.
/// </summary>
public sealed class MemoryEventJournal : IEventJournal
{
    private readonly ConcurrentDictionary<string, SortedList<long, UserEvent[]>> _entries = new(StringComparer.Ordinal);

    public Task AppendAsync(string userId, long sequence, UserEvent[] events)
    {
        var entries = _entries.GetOrAdd(userId, _ => []);
        lock (entries)
        {
            entries.Add(sequence, events);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence)
    {
        if (!_entries.TryGetValue(userId, out var entries))
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>([]);
        }

        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>(
                [.. entries.Where(e => e.Key > afterSequence).Select(e => new JournalEntry(e.Key, e.Value))]);
        }
    }

    public Task TruncateAsync(string userId, long throughSequence)
    {
        if (_entries.TryGetValue(userId, out var entries))
        {
            lock (entries)
            {
                foreach (var sequence in entries.Keys.Where(s => s <= throughSequence).ToList())
                {
                    entries.Remove(sequence);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task EraseUserAsync(string userId)
    {
        _entries.TryRemove(userId, out _);
        return Task.CompletedTask;
    }

    public Task PurgeDeletedAsync() => Task.CompletedTask;
}
