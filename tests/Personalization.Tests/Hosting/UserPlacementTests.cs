using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>
/// A client sends every call for one grain through the same silo; a user's grain is activated on that silo, so that
/// the user's calls are not forwarded to another one. Two silo processes on PostgreSQL; the client knows only one.
/// </summary>
public sealed class UserPlacementTests
{
    [Fact]
    public async Task Users_first_called_through_a_silo_live_on_that_silo()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var entry = await TestHost.SiloAsync(database);
        await using var other = await TestHost.SiloAsync(database);
        using var observer = await ClusterObserver.ThroughGatewayAsync(entry.GatewayPort!.Value);
        string[] users = [.. Enumerable.Range(0, 40).Select(_ => Catalog.NewId("user"))];

        await Task.WhenAll(users.Select(user => observer.Client.GetGrain<IUserGrain>(user).GetProfileAsync()));

        var placement = (await observer.UserPlacementAsync()).Where(p => users.Contains(p.UserId)).ToList();
        Assert.Equal(users.Length, placement.Count);
        Assert.All(placement, p => Assert.Equal(entry.SiloPort, p.Port));
    }
}
