namespace Personalization.Interfaces;

/// <summary>One person: live preference vector, sessions, recent items and the idempotency window. Key: user id.</summary>
[Alias("IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Applies new events (repeated event ids have no effect) and returns once they are durable.</summary>
    [Alias("RecordEvents")]
    Task<RecordResult> RecordEventsAsync(UserEvent[] events);

    /// <summary>
    /// The query vector (long-term blended with the session), the weighted history, the cold-start weight and the items
    /// to exclude. <paramref name="asOf"/> is the time of the request: what the user did shortly before it weighs more.
    /// </summary>
    [Alias("GetQuery")]
    Task<UserQuery> GetQueryAsync(string? sessionId, bool includeSeen, DateTimeOffset asOf);

    /// <summary>The user's public profile.</summary>
    [Alias("GetProfile")]
    Task<UserProfile> GetProfileAsync();
}
