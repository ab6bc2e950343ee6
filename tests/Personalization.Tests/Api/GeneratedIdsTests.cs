using System.Collections.Concurrent;
using Personalization.Gateway.Api;

namespace Personalization.Tests.Api;

public sealed class GeneratedIdsTests
{
    [Fact]
    public async Task Ids_from_many_threads_across_buffer_refills_are_distinct_32_hex_digits()
    {
        // 1,000 per thread: each thread's buffer of 256 ids is refilled three times.
        var ids = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                ids.Add(GeneratedIds.Next());
            }
        })));

        Assert.Equal(8_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public void Every_byte_value_turns_up_in_every_position()
    {
        // A buffer handed out twice or left unfilled (zeros) would show as missing values.
        var ids = Enumerable.Range(0, 4_096).Select(_ => Convert.FromHexString(GeneratedIds.Next())).ToArray();
        for (var position = 0; position < 16; position++)
        {
            Assert.True(ids.Select(id => id[position]).Distinct().Count() > 240, $"byte {position} takes too few values");
        }
    }
}
