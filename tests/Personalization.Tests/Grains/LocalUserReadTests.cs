using Microsoft.Extensions.DependencyInjection;
using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>
/// The user's query read in place by a gateway of the silo's process: the grain's own answer, every acknowledged
/// event seen by the next read, no change seen half made, and nothing read once the user's data is erased.
/// </summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class LocalUserReadTests(SqliteClusterFixture fixture) : IDisposable
{
    private readonly ServiceProvider _services = ClientServices.For(fixture.Grains);

    private ILocalUsers LocalUsers => fixture.SiloServices.GetRequiredService<ILocalUsers>();

    [Fact]
    public async Task An_active_user_is_read_in_place_with_the_grains_answer_and_each_acknowledged_event()
    {
        var (userId, key) = NewUser();
        var user = fixture.Grains.GetGrain<IUserGrain>(userId);
        await RecordAsync(userId, Click(key, 0), Click(key, 1));
        var at = DateTimeOffset.UtcNow;

        Assert.True(LocalUsers.TryGetQuery(userId, null, true, at, out var local));
        var called = await user.GetQueryAsync(null, true, at);
        Assert.Equal(called.Vector, local.Vector);
        Assert.Equal(called.Seen, local.Seen);
        Assert.Equal(called.History, local.History);
        Assert.Equal(called.TopCategories, local.TopCategories);
        Assert.Equal((called.InteractionCount, called.PopularityWeight), (local.InteractionCount, local.PopularityWeight));

        await RecordAsync(userId, Click(key, 2));
        Assert.True(LocalUsers.TryGetQuery(userId, null, true, DateTimeOffset.UtcNow, out var after));
        Assert.Equal(3, after.InteractionCount);
        Assert.Contains($"item-{key}-2", after.Seen);
        Assert.NotEqual(local.Vector, after.Vector);
    }

    [Fact]
    public async Task Reads_in_place_during_a_stream_of_events_see_whole_acknowledged_batches_only()
    {
        var (userId, key) = NewUser();
        const int batches = 40;
        const int perBatch = 5;
        await RecordAsync(userId, Click(key, -1));
        var sending = Task.Run(async () =>
        {
            for (var batch = 0; batch < batches; batch++)
            {
                await RecordAsync(userId, [.. Enumerable.Range(batch * perBatch, perBatch).Select(i => Click(key, i))]);
            }
        });

        // A read that saw a batch half applied would count events of it but not all: 1 + a multiple of the batch size.
        var reads = 0;
        var counts = new List<long>();
        while (!sending.IsCompleted)
        {
            if (LocalUsers.TryGetQuery(userId, null, true, DateTimeOffset.UtcNow, out var query))
            {
                counts.Add(query.InteractionCount);
                Assert.Equal(query.InteractionCount, query.Seen.Length);
                reads++;
            }
        }

        await sending;
        Assert.True(reads > 0);
        Assert.All(counts, count => Assert.Equal(0, (count - 1) % perBatch));
        Assert.True(LocalUsers.TryGetQuery(userId, null, true, DateTimeOffset.UtcNow, out var last));
        Assert.Equal(1 + batches * perBatch, last.InteractionCount);
    }

    [Fact]
    public async Task An_erasure_or_an_opt_out_leaves_nothing_of_the_user_to_read_in_place()
    {
        var (erased, key) = NewUser();
        await RecordAsync(erased, Click(key, 0));
        Assert.True(LocalUsers.TryGetQuery(erased, null, true, DateTimeOffset.UtcNow, out _));

        await fixture.Grains.GetGrain<IUserGrain>(erased).EraseAsync();
        Assert.False(LocalUsers.TryGetQuery(erased, null, true, DateTimeOffset.UtcNow, out _));
        // The next call activates the user afresh, and reads in place start again from nothing.
        Assert.Equal(0, (await fixture.Grains.GetGrain<IUserGrain>(erased).GetQueryAsync(null, true, DateTimeOffset.UtcNow)).InteractionCount);
        Assert.True(LocalUsers.TryGetQuery(erased, null, true, DateTimeOffset.UtcNow, out var fresh));
        Assert.Equal((0, 0), (fresh.InteractionCount, fresh.Seen.Length));

        var (optedOut, otherKey) = NewUser();
        await RecordAsync(optedOut, Click(otherKey, 0));
        await fixture.Grains.GetGrain<IUserGrain>(optedOut).SetConsentAsync(personalization: false);
        Assert.True(LocalUsers.TryGetQuery(optedOut, null, true, DateTimeOffset.UtcNow, out var afterOptOut));
        Assert.Equal((0, 0), (afterOptOut.InteractionCount, afterOptOut.Seen.Length));
        Assert.All(afterOptOut.Vector, component => Assert.Equal(0f, component));
    }

    private static (string UserId, string Key) NewUser()
    {
        var key = Guid.NewGuid().ToString("N");
        return ($"local-user-{key}", key);
    }

    private static UserEvent Click(string key, int n) => new($"{key}-{n}", $"item-{key}-{n}", "click", null, null, DateTimeOffset.UtcNow);

    private Task<RecordResult> RecordAsync(string userId, params UserEvent[] events) => _services.RecordAsync(userId, events);

    public void Dispose() => _services.Dispose();
}
