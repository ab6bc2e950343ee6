namespace Personalization.Interfaces;

/// <summary>
/// Carries a request's events for the users whose grains live on one silo, so that a request costs one message per
/// silo instead of one per user; the router calls those user grains where they are. Stateless; key: see
/// <see cref="SiloRouting"/>.
/// </summary>
[Alias("IEventRouterGrain")]
public interface IEventRouterGrain : IGrainWithIntegerKey
{
    /// <summary>Each user's <see cref="IUserGrain.RecordEventsAsync"/>, in order; a failed call is reported, not thrown.</summary>
    [Alias("RecordEvents")]
    Task<RoutedOutcome[]> RecordEventsAsync(UserEvents[] users);
}

/// <summary>One user's share of a request: the events and what the user grain needs to learn from them.</summary>
[GenerateSerializer, Immutable, Alias("UserEvents")]
public sealed record UserEvents(
    [property: Id(0)] string UserId,
    [property: Id(1)] UserEvent[] Events,
    [property: Id(2)] InteractionContext Context);

/// <summary>A user grain's answer through a router: the outcome, or the failure that the caller may retry.</summary>
[GenerateSerializer, Immutable, Alias("RoutedOutcome")]
public sealed record RoutedOutcome(
    [property: Id(0)] RecordOutcome? Outcome,
    [property: Id(1)] Exception? Failure);
