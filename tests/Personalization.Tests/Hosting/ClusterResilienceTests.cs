using Orleans.Storage;
using Personalization.Gateway.Hosting;

namespace Personalization.Tests.Hosting;

public sealed class ClusterResilienceTests
{
    /// <summary>Far beyond the pipeline's budget: only a call that nothing abandons takes this long.</summary>
    private static readonly TimeSpan _hang = TimeSpan.FromSeconds(60);

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
    public async Task A_call_that_never_answers_is_abandoned_after_its_try_and_sent_again()
    {
        // As a call into a silo killed before it answered: Orleans would hold it until its response timeout.
        var calls = 0;
        var result = await new ClusterResilience()
            .CallAsync(() => Interlocked.Increment(ref calls) == 1 ? new TaskCompletionSource<int>().Task : Task.FromResult(42))
            .WaitAsync(_hang);

        Assert.Equal(42, result);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_fan_out_sends_again_only_the_calls_that_never_answered()
    {
        var calls = new Dictionary<string, int>();
        var results = await new ClusterResilience().CallEachAsync(["a", "b"], key =>
        {
            lock (calls)
            {
                calls[key] = calls.GetValueOrDefault(key) + 1;
                return key == "b" && calls[key] == 1 ? new TaskCompletionSource<string>().Task : Task.FromResult(key.ToUpperInvariant());
            }
        }).WaitAsync(_hang);

        Assert.Equal(["A", "B"], results);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, calls);
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
