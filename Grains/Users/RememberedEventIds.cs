using Personalization.Interfaces;

namespace Personalization.Grains.Users;

/// <summary>
/// Whether an event id is among a user's remembered events (the idempotency window). Most users have a few events: a
/// short history is scanned, and only a longer one pays for a set of its ids, built when first needed and kept in step
/// with the history from then on.
/// </summary>
internal sealed class RememberedEventIds
{
    /// <summary>Histories up to this long are scanned: about as fast as a hash lookup, and nothing to allocate.</summary>
    public const int ScanLimit = 16;

    private HashSet<string>? _index;

    public bool Contains(List<UserEvent> history, string eventId)
    {
        if (_index is null && history.Count > ScanLimit)
        {
            _index = new HashSet<string>(history.Count, StringComparer.Ordinal);
            foreach (var e in history)
            {
                _index.Add(e.EventId);
            }
        }

        if (_index is not null)
        {
            return _index.Contains(eventId);
        }

        foreach (var e in history)
        {
            if (string.Equals(e.EventId, eventId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The event was added to the history.</summary>
    public void Added(string eventId) => _index?.Add(eventId);

    /// <summary>The event was trimmed from the history.</summary>
    public void Removed(string eventId) => _index?.Remove(eventId);

    /// <summary>The history was replaced: the set, if any, is rebuilt from it when next needed.</summary>
    public void Reset() => _index = null;
}
