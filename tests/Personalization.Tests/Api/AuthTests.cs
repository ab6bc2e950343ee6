using System.Net;
using System.Net.Http.Json;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

public abstract class AuthTests(IGatewayHost gateway)
{
    private static readonly object[] _event = [new { userId = "auth-user", itemId = "auth-item", type = "click" }];

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task A_missing_or_unknown_key_gets_401(string? key)
    {
        using var response = await gateway.Client(key).GetAsync("/v1/popular");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await response.ProblemAsync();
    }

    [Fact]
    public async Task A_read_key_can_read_but_not_ingest()
    {
        var reader = gateway.Client(ApiKeys.Read);

        using var read = await reader.GetAsync("/v1/popular");
        using var ingest = await reader.PostAsJsonAsync("/v1/events", _event);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ingest.StatusCode);
        await ingest.ProblemAsync();
    }

    [Fact]
    public async Task An_ingest_key_can_ingest_and_health_is_open()
    {
        using var ingest = await gateway.Client(ApiKeys.Ingest).PostAsJsonAsync("/v1/events", _event);
        using var live = await gateway.Client(null).GetAsync("/health/live");
        using var ready = await gateway.Client(null).GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneAuthTests(GatewayFactory gateway) : AuthTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterAuthTests(PostgresGatewayCluster cluster) : AuthTests(cluster);
