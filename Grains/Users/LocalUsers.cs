using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Personalization.Interfaces;

namespace Personalization.Grains.Users;

/// <summary>
/// The user grains active in this silo, each registered by its grain once activated and until it deactivates: a
/// gateway of the same process reads their queries in place (<see cref="ILocalUsers"/>). A process without a silo has none.
/// </summary>
public sealed class LocalUsers : ILocalUsers
{
    private readonly ConcurrentDictionary<string, UserGrain> _active = new(StringComparer.Ordinal);

    public bool TryGetQuery(string userId, string? sessionId, bool includeSeen, DateTimeOffset asOf, [NotNullWhen(true)] out UserQuery? query)
    {
        query = null;
        return _active.TryGetValue(userId, out var user) && user.TryReadQuery(sessionId, includeSeen, asOf, out query);
    }

    internal void Activated(string userId, UserGrain user) => _active[userId] = user;

    /// <summary>Before the activation's last write: a later activation (here or on another silo) takes over.</summary>
    internal void Deactivating(string userId, UserGrain user) => _active.TryRemove(KeyValuePair.Create(userId, user));
}
