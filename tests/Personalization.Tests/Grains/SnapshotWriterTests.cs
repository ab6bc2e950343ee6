using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Personalization.Grains.Persistence;
using Personalization.Grains.Users;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>States stored from snapshots off the grain's turn, on the real SQLite store.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class SnapshotWriterTests(SqliteClusterFixture fixture)
{
    private IGrainStorage Storage => fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>("Default");

    [Fact]
    public async Task Snapshots_are_stored_in_the_order_started_each_over_the_version_the_one_before_left()
    {
        var id = GrainId.Create("snapshot-test", Guid.NewGuid().ToString("N"));
        var writer = new SnapshotWriter<UserState>(Storage, id, "snapshots");
        Assert.Equal(0, (await writer.ReadAsync(() => new UserState())).InteractionCount);

        // Started back to back without waiting, as a grain's timer does: the last one started is what is stored.
        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => writer.WriteAsync(new UserState { InteractionCount = i })).ToArray());

        var other = new SnapshotWriter<UserState>(Storage, id, "snapshots");
        Assert.Equal(5, (await other.ReadAsync(() => new UserState())).InteractionCount);
        await other.WriteAsync(new UserState { InteractionCount = 6 });
        // The first writer's version is stale now: its write fails instead of overwriting, and the failure is its task's.
        await Assert.ThrowsAsync<InconsistentStateException>(() => writer.WriteAsync(new UserState { InteractionCount = 7 }));
        Assert.True(writer.Last.IsFaulted);
        Assert.Equal(6, (await new SnapshotWriter<UserState>(Storage, id, "snapshots").ReadAsync(() => new UserState())).InteractionCount);
    }
}
