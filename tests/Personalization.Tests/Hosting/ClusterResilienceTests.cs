using Orleans.Storage;
using Personalization.Gateway.Hosting;

namespace Personalization.Tests.Hosting;

public sealed class ClusterResilienceTests
{
    [Fact]
    public async Task A_fan_out_retries_only_the_calls_that_failed_transiently()
    {
        var calls = new Dictionary<string, int>();
        var results = await new ClusterResilience().CallEachAsync(["a", "b", "c"], async key =>
        {
            await Task.Yield();
            lock (calls)
            {
                calls[key] = calls.GetValueOrDefault(key) + 1;
                if (key == "b" && calls[key] == 1)
                {
                    throw new TimeoutException("silo too slow this once");
                }
            }

            return key.ToUpperInvariant();
        });

        Assert.Equal(["A", "B", "C"], results);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 1 }, calls);
    }

    [Fact]
    public async Task A_fan_out_is_not_retried_when_one_call_fails_for_good()
    {
        var calls = 0;
        await Assert.ThrowsAsync<InconsistentStateException>(() => new ClusterResilience().CallEachAsync([1, 2], async key =>
        {
            await Task.Yield();
            Interlocked.Increment(ref calls);
            return key == 2 ? throw new InconsistentStateException("stale etag") : key;
        }));

        Assert.Equal(2, calls);
    }
}
