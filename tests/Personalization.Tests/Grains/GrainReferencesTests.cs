using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

[Collection(SqliteClusterCollection.Name)]
public sealed class GrainReferencesTests(SqliteClusterFixture cluster)
{
    [Fact]
    public async Task References_built_from_the_cached_types_address_the_same_grains_as_GetGrain()
    {
        var grains = cluster.Grains;

        Assert.Equal(grains.GetGrain<IUserGrain>("user-7").GetGrainId(), grains.User("user-7").GetGrainId());
        Assert.Equal(grains.GetGrain<ICatalogShardGrain>(3).GetGrainId(), grains.Shard(3).GetGrainId());
        Assert.Equal(grains.GetGrain<IExposureGrain>(1).GetGrainId(), grains.ExposurePartition(1).GetGrainId());
        Assert.NotEqual(grains.User("user-7").GetGrainId(), grains.User("user-8").GetGrainId());
        // And they reach the grain: a user nobody has seen has an empty profile.
        Assert.Equal(0L, (await grains.User($"fresh-{Guid.NewGuid():N}").GetProfileAsync()).InteractionCount);
    }
}
