using System.Net;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Console;

/// <summary>What the console stands on: its page (served by the gateway, self-only CSP), the caller's role, the cluster view.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleRoutesTests(GatewayFactory gateway)
{
    [Fact]
    public async Task The_page_and_its_modules_come_from_the_gateway_with_a_self_only_policy()
    {
        var client = gateway.Client(null);

        using var page = await client.GetAsync("/console/");
        using var module = await client.GetAsync("/console/app.js");
        using var missing = await client.GetAsync("/console/nothing.js");
        using var bare = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress }.GetAsync("/console");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'; script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("connect-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("API key", await page.Content.ReadAsStringAsync());
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("/console/", bare.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_console_is_not_part_of_the_api_document()
    {
        var document = await gateway.Client(null).GetOkAsync("/openapi/v1.json");
        Assert.DoesNotContain(document["paths"]!.AsObject(), path => path.Key.StartsWith("/console", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ApiKeys.Read, "read")]
    [InlineData(ApiKeys.Ingest, "ingest")]
    [InlineData(ApiKeys.Admin, "admin")]
    public async Task Whoami_names_the_role_of_the_key(string key, string role)
    {
        Assert.Equal(role, (string)(await gateway.Client(key).GetOkAsync("/v1/whoami"))["role"]!);
    }

    [Fact]
    public async Task Whoami_refuses_an_unknown_key()
    {
        using var response = await gateway.Client("not-a-key").GetAsync("/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_cluster_view_shows_the_silo_and_every_shard_with_its_items()
    {
        var catalog = await Catalog.CreateAsync(gateway.Client(), categories: 1, perCategory: 20);

        var cluster = await gateway.Client().GetOkAsync("/v1/admin/cluster");

        var silo = Assert.Single(cluster["silos"]!.AsArray());
        Assert.Equal("Active", (string)silo!["status"]!);
        Assert.True((int)silo["activeGrains"]! > 0);
        Assert.True((int)silo["grainTypes"]!["CatalogShardGrain"]! > 0);
        var shards = cluster["shards"]!.AsArray();
        Assert.Equal(4, shards.Count);
        Assert.True(shards.Sum(s => (int)s!["activeItems"]!) >= catalog.ItemsIn(0).Length);
    }

    [Fact]
    public async Task The_cluster_view_needs_the_admin_role()
    {
        using var response = await gateway.Client(ApiKeys.Ingest).GetAsync("/v1/admin/cluster");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
