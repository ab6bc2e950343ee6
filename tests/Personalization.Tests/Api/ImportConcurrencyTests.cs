using System.Net;
using System.Text;
using Personalization.Gateway.Auth;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// <c>RateLimits:ImportConcurrency</c> on a gateway of its own: imports held open in their handlers (the server has
/// asked for their bodies with <c>100 Continue</c>) take every permit; one more gets 429 with Retry-After, and the held
/// ones complete once their bodies arrive.
/// </summary>
public sealed class ImportConcurrencyTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task Imports_past_the_concurrency_limit_get_429_with_Retry_After_while_those_within_it_complete()
    {
        var limit = new RateLimitOptions().ImportConcurrency;
        var held = new List<(RawRequest Request, string ItemId, byte[] Body)>();
        try
        {
            for (var i = 0; i < limit; i++)
            {
                var id = Catalog.NewId("held");
                var body = Encoding.ASCII.GetBytes($"{{\"id\":\"{id}\"}}\n");
                var request = await RawRequest.StartAsync(_client, "/v1/items/import", "application/x-ndjson", body.Length);
                held.Add((request, id, body));
                Assert.Equal(100, await request.StatusAsync());
            }

            var extra = Catalog.NewId("extra");
            using var refused = await _client.ImportAsync($"{{\"id\":\"{extra}\"}}\n");

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            await refused.ProblemAsync();
            using var notCreated = await _client.GetAsync($"/v1/items/{extra}");
            Assert.Equal(HttpStatusCode.NotFound, notCreated.StatusCode);

            foreach (var (request, id, body) in held)
            {
                await request.SendAsync(body);
                Assert.Equal(200, await request.StatusAsync());
                await _client.GetOkAsync($"/v1/items/{id}");
            }

            using var after = await _client.ImportAsync($"{{\"id\":\"{Catalog.NewId("after")}\"}}\n");
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        finally
        {
            held.ForEach(h => h.Request.Dispose());
        }
    }
}
