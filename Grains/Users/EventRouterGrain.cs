using Orleans.Concurrency;
using Orleans.Placement;
using Personalization.Interfaces;

namespace Personalization.Grains.Users;

/// <summary>
/// Hands a request's events to the user grains of this silo: one message from the gateway instead of one per user, and
/// calls that stay in the process. Keeps nothing, so requests interleave.
/// </summary>
[HashBasedPlacement, Reentrant]
public sealed class EventRouterGrain : Grain, IEventRouterGrain
{
    public async Task<RoutedOutcome[]> RecordEventsAsync(UserEvents[] users)
    {
        var calls = Array.ConvertAll(users, user => GrainFactory.User(user.UserId).RecordEventsAsync(user.Events, user.Context));
        try
        {
            await Task.WhenAll(calls);
        }
        catch
        {
            // Reported call by call below: the users that succeeded must not be sent again.
        }

        return Array.ConvertAll(calls, call => call.IsCompletedSuccessfully
            ? new RoutedOutcome(call.Result, null)
            : new RoutedOutcome(null, call.Exception?.InnerException ?? new TaskCanceledException(call)));
    }
}
