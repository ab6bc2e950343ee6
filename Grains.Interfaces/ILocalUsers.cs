using System.Diagnostics.CodeAnalysis;

namespace Personalization.Interfaces;

/// <summary>
/// The user grains active in this process. A gateway in the same process (standalone, or a cluster node that serves
/// HTTP) reads a user's query from the grain in place instead of calling it: no message, and no thread hop to the
/// grain's scheduler and back. A user active in another process, or in the middle of a change, is called as a grain.
/// </summary>
public interface ILocalUsers
{
    /// <summary>
    /// The answer <see cref="IUserGrain.GetQueryAsync"/> would give, when the user's grain is active in this process
    /// and no change of it is under way (a change is seen once it is durable, as the grain's callers see it); else false.
    /// </summary>
    bool TryGetQuery(string userId, string? sessionId, bool includeSeen, DateTimeOffset asOf, [NotNullWhen(true)] out UserQuery? query);
}
