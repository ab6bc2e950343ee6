using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> of a real standalone gateway process (its silo co-hosted) after real traffic: the service's own
/// metrics count what was sent, Orleans and ASP.NET Core metrics are there, and no Grafana panel queries a missing name.
/// </summary>
public sealed class MetricsTests
{
    private const string RecommendRoute = "route=\"/v1/users/{userId}/recommendations\"";

    [Fact]
    public async Task The_metrics_of_a_standalone_gateway_count_what_was_sent()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string>(ApiKeys.Configuration)
        {
            ["RateLimits:Read:PermitsPerSecond"] = "1",
            ["RateLimits:Read:Burst"] = "2",
        };
        await using var gateway = await TestHost.StandaloneGatewayAsync(data.Path, settings);
        var admin = gateway.Client().WithKey(ApiKeys.Admin);

        await admin.PostItemsAsync(
            new { id = "m-1", categories = new[] { "a" } }, new { id = "m-2", categories = new[] { "a" } }, new { id = "m-3", categories = new[] { "b" } },
            new { id = "m-4", categories = new[] { "b" } });
        await admin.PostEventsAsync(
            new { eventId = "me-1", userId = "mu", itemId = "m-1", type = "click" },
            new { eventId = "me-2", userId = "mu", itemId = "m-2", type = "click" },
            new { eventId = "me-3", userId = "mu", itemId = "m-3", type = "like" });
        await admin.PostEventsAsync(new { eventId = "me-1", userId = "mu", itemId = "m-1", type = "click" });
        using (var refused = await admin.PostAsJsonAsync("/v1/events", new object[]
        {
            new { eventId = "me-4", userId = "mu", itemId = "m-1", type = "click" },
            new { eventId = "me-5", userId = "mu", itemId = "m-1", type = "no-such-type" },
        }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(["m-4"], await admin.RecommendAsync("mu"));
        await admin.GetOkAsync("/v1/admin/oversight");
        var reader = gateway.Client().WithKey(ApiKeys.Read);
        var limited = 0;
        for (var i = 0; i < 20; i++)
        {
            using var response = await reader.GetAsync("/v1/popular");
            limited += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        var metrics = await MetricsScrape.FromAsync(gateway.BaseAddress!, ApiKeys.Admin);

        Assert.Equal(3, metrics.Sum("personalization_events_total", "outcome=\"accepted\""));
        Assert.Equal(1, metrics.Sum("personalization_events_total", "outcome=\"duplicate\""));
        Assert.Equal(2, metrics.Sum("personalization_events_total", "outcome=\"rejected\""));
        Assert.Equal(1, metrics.Sum("personalization_recommendation_duration_seconds_count", RecommendRoute));
        Assert.True(limited > 0);
        Assert.Equal(limited, metrics.Sum("personalization_rate_limit_rejections_total", "limit=\"read\""));
        Assert.Equal(4, metrics.Sum("personalization_catalog_items"));
        Assert.Equal(1, metrics.Sum("personalization_users_active"));
        Assert.True(metrics.Sum("personalization_journal_commit_size_sum") >= 1);
        Assert.True(metrics.Sum("personalization_journal_commit_duration_seconds_count") >= 1);
        Assert.True(metrics.Has("personalization_catalog_write_behind_lag_seconds"));
        Assert.Equal(0.25, metrics.Sum("personalization_exposure_coverage"), 3);
        Assert.True(metrics.Has("personalization_exposure_gini"));
        Assert.Contains(metrics.Names, n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.True(metrics.Sum("http_server_request_duration_seconds_count", "http_route=\"/v1/events\"") >= 3);
        Assert.All(GrafanaPanels.MetricNames(), name => Assert.Contains(name, metrics.Names));
    }

    [Fact]
    public async Task Metrics_and_the_dashboard_are_for_the_admin_key_only()
    {
        using var data = new TempDirectory();
        await using var gateway = await TestHost.StandaloneGatewayAsync(data.Path, ApiKeys.Configuration);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gateway, "/metrics", null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(gateway, "/metrics", new("Bearer", ApiKeys.Read)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/metrics", new("Bearer", ApiKeys.Admin)));

        using var refused = await gateway.Client().GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Basic ", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gateway, "/dashboard/", Basic("operator:not-a-key")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(gateway, "/dashboard/", Basic("operator:" + ApiKeys.Read)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/dashboard/", Basic("operator:" + ApiKeys.Admin)));
    }

    [Fact]
    public async Task With_telemetry_off_there_is_no_metrics_endpoint()
    {
        using var data = new TempDirectory();
        await using var gateway = await TestHost.StandaloneGatewayAsync(
            data.Path, new Dictionary<string, string>(ApiKeys.Configuration) { ["Telemetry:Enabled"] = "false" });

        using var response = await gateway.Client().WithKey(ApiKeys.Admin).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string credentials) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    private static async Task<HttpStatusCode> StatusAsync(TestHost gateway, string path, AuthenticationHeaderValue? authorization)
    {
        using var client = gateway.Client();
        client.DefaultRequestHeaders.Authorization = authorization;
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
