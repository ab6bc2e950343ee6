using System.Text;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// What an import costs the gateway's process (in this test process), measured while no other test runs: the memory it
/// allocates follows the bytes received, never the length a header declares.
/// </summary>
[Collection(SerialGatewayCollection.Name)]
public sealed class ImportMemoryTests(GatewayFactory gateway)
{
    [Fact]
    public async Task An_import_declaring_300_MiB_allocates_nothing_of_that_length_before_its_bytes_arrive()
    {
        var client = gateway.Client();
        var line = Encoding.ASCII.GetBytes("{\"id\":\"a\"}\n");
        async Task<long> AllocatedUntilReadAsync()
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            using var request = await RawRequest.StartAsync(client, "/v1/items/import", "application/x-ndjson", declaredLength: 300L << 20);
            Assert.Equal(100, await request.StatusAsync());
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            await request.SendAsync(line);
            return allocated;
        }

        await AllocatedUntilReadAsync();
        var allocated = await AllocatedUntilReadAsync();

        Assert.Equal(11, line.Length);
        Assert.True(allocated < 4 << 20, $"{allocated >> 20} MiB allocated before reading an import's first bytes");
    }
}
