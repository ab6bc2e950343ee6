namespace Personalization.Interfaces;

/// <summary>One person: live preference vector, sessions, recent items and the idempotency window. Key: user id.</summary>
[Alias("IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies the user half of the learning steps of new events (repeated event ids have no effect), with the items'
    /// vectors in <paramref name="context"/>, and returns once the events are durable, with the item half for the shards.
    /// </summary>
    [Alias("RecordEvents")]
    Task<RecordOutcome> RecordEventsAsync(UserEvent[] events, InteractionContext context);

    /// <summary>
    /// The query vector (long-term blended with the session), the weighted history, the cold-start weight and the items
    /// to exclude. <paramref name="asOf"/> is the time of the request: what the user did shortly before it weighs more.
    /// </summary>
    [Alias("GetQuery")]
    Task<UserQuery> GetQueryAsync(string? sessionId, bool includeSeen, DateTimeOffset asOf);

    /// <summary>A copy of the learner's state in learning mode (ability, evidence per skill); empty when nothing is known.</summary>
    [Alias("GetLearner")]
    Task<LearnerSnapshot> GetLearnerAsync();

    /// <summary>The user's public profile.</summary>
    [Alias("GetProfile")]
    Task<UserProfile> GetProfileAsync();

    /// <summary>Everything stored about the user.</summary>
    [Alias("Export")]
    Task<UserExport> ExportAsync();

    /// <summary>Deletes every stored trace of the user (state row, journal) and deactivates; afterwards the user is unknown.</summary>
    [Alias("Erase")]
    Task EraseAsync();

    /// <summary>
    /// Turning personalization off erases the user's data and keeps only that choice; turning it back on starts fresh.
    /// </summary>
    [Alias("SetConsent")]
    Task SetConsentAsync(bool personalization);
}
