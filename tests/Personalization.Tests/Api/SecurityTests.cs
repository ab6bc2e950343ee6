using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Gateway.Auth;
using Personalization.Tests.Infrastructure;
using ApiKeys = Personalization.Tests.Infrastructure.ApiKeys;

namespace Personalization.Tests.Api;

/// <summary>Keys, roles and tokens on every route, the rate limiter, CORS, header limits and the audit of an erase.</summary>
[Collection(SecurityGatewayCollection.Name)]
public sealed class SecurityTests(SecurityGatewayFactory gateway)
{
    private static readonly string[] _openPrefixes = ["/health/", "/openapi/", "/docs", "/console"];

    [Fact]
    public async Task Every_route_refuses_a_missing_or_unknown_key_with_401_and_a_key_below_its_role_with_403()
    {
        var keys = new Dictionary<ApiRole, string> { [ApiRole.Read] = ApiKeys.Read, [ApiRole.Ingest] = ApiKeys.Ingest, [ApiRole.Admin] = ApiKeys.Admin };
        foreach (var (method, path, metadata) in Endpoints())
        {
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                Assert.Contains(_openPrefixes, prefix => path.StartsWith(prefix, StringComparison.Ordinal));
                continue;
            }

            var role = metadata.OfType<ApiRoleRequirement>().Select(r => r.Role).DefaultIfEmpty(ApiRole.Read).Max();
            await AssertStatusAsync(HttpStatusCode.Unauthorized, method, path, gateway.Client(null));
            await AssertStatusAsync(HttpStatusCode.Unauthorized, method, path, gateway.Client("not-a-key"));
            foreach (var below in keys.Where(k => k.Key < role))
            {
                await AssertStatusAsync(HttpStatusCode.Forbidden, method, path, gateway.Client(below.Value));
            }

            if (!metadata.OfType<UserTokenAccessMetadata>().Any())
            {
                await AssertStatusAsync(HttpStatusCode.Forbidden, method, path, gateway.Client(null).WithToken(UserTokens.Mint("x1")));
            }
        }
    }

    [Fact]
    public async Task A_key_configured_as_its_hash_reads_and_two_key_headers_are_refused_whatever_they_hold()
    {
        using var hashed = await gateway.Client(SecurityGatewayFactory.HashedReadKey).GetAsync("/v1/popular");

        // HttpClient would join two values into one line; the request is written by hand to send two header lines.
        var address = gateway.Client(null).BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /v1/admin/oversight HTTP/1.1\r\nHost: {address.Authority}\r\nX-Api-Key: {ApiKeys.Read}\r\nX-Api-Key: {ApiKeys.Admin}\r\nConnection: close\r\n\r\n"));
        var both = await new StreamReader(stream).ReadToEndAsync();

        Assert.Equal(HttpStatusCode.OK, hashed.StatusCode);
        Assert.StartsWith("HTTP/1.1 401 ", both);
        Assert.Contains("application/problem+json", both);
    }

    [Fact]
    public async Task A_user_token_reads_its_own_recommendations_and_nothing_of_another_user()
    {
        var user = Catalog.NewId("token-user");
        var client = gateway.Client(null).WithToken(UserTokens.Mint(user));
        var older = gateway.Client(null).WithToken(UserTokens.Mint(user, SecurityGatewayFactory.OlderSigningKey));

        using var own = await client.GetAsync($"/v1/users/{user}/recommendations");
        using var rotated = await older.GetAsync($"/v1/users/{user}");
        using var other = await client.GetAsync($"/v1/users/{Catalog.NewId("someone-else")}/recommendations");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        await other.ProblemAsync();
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("unknown key")]
    [InlineData("alg none")]
    [InlineData("alg HS512")]
    public async Task A_user_token_that_is_expired_or_not_signed_with_a_configured_key_in_HS256_gets_401(string flaw)
    {
        var user = Catalog.NewId("bad-token");
        var token = flaw switch
        {
            "expired" => UserTokens.Mint(user, lifetime: TimeSpan.FromMinutes(-5)),
            "unknown key" => UserTokens.Mint(user, "some-other-signing-key-that-nobody-configured"),
            "alg none" => UserTokens.Mint(user, alg: "none"),
            _ => UserTokens.Mint(user, alg: "HS512"),
        };

        using var response = await gateway.Client(null).WithToken(token).GetAsync($"/v1/users/{user}/recommendations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await response.ProblemAsync();
    }

    [Fact]
    public async Task A_user_token_sends_its_own_events_and_a_batch_naming_another_user_is_refused_whole()
    {
        var (user, other) = (Catalog.NewId("token-events"), Catalog.NewId("token-victim"));
        var client = gateway.Client(null).WithToken(UserTokens.Mint(user));

        using var own = await client.PostAsJsonAsync("/v1/events", new[] { new { userId = user, itemId = Catalog.NewId("i"), type = "click" } });
        using var mixed = await client.PostAsJsonAsync("/v1/events", new object[]
        {
            new { userId = user, itemId = Catalog.NewId("i"), type = "click" },
            new { userId = other, itemId = Catalog.NewId("i"), type = "click" },
        });

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        var admin = gateway.Client();
        Assert.Equal(1, (long)(await admin.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
        Assert.Equal(0, (long)(await admin.GetOkAsync($"/v1/users/{other}"))["interactionCount"]!);
    }

    [Fact]
    public async Task The_limiter_answers_429_with_Retry_After_past_the_rate_and_lets_the_caller_in_again_after_it()
    {
        var user = Catalog.NewId("limited");
        var client = gateway.Client(null).WithToken(UserTokens.Mint(user));
        for (var i = 0; i < SecurityGatewayFactory.TokenBurst; i++)
        {
            using var allowed = await client.GetAsync($"/v1/users/{user}");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await client.GetAsync($"/v1/users/{user}");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        await limited.ProblemAsync();
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);

        // The bucket refills on its own clock: the wait is what the answer asked for.
        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(200));
        using var again = await client.GetAsync($"/v1/users/{user}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task An_erase_is_logged_with_who_and_whom_and_counted_without_the_data()
    {
        var user = Catalog.NewId("audited");
        var itemId = Catalog.NewId("secret-item");
        var admin = gateway.Client();
        await admin.PostEventsAsync(new { userId = user, itemId, type = "click" });
        var counted = new List<string>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, l) => { if (instrument.Name == Audit.CounterName) l.EnableMeasurementEvents(instrument); } };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => counted.Add((string)tags.ToArray().Single(t => t.Key == "action").Value!));
        listener.Start();

        using var erased = await admin.DeleteAsync($"/v1/users/{user}");

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        var line = Assert.Single(gateway.LogLines, l => l.Contains($"erase of user {user}", StringComparison.Ordinal));
        Assert.Contains("by admin key ", line);
        Assert.DoesNotContain(itemId, line);
        Assert.DoesNotContain(ApiKeys.Admin, line);
        Assert.Contains("erase", counted);
    }

    [Fact]
    public async Task Only_a_configured_origin_may_call_from_a_browser_and_oversized_headers_get_431()
    {
        var preflight = (string origin) => new HttpRequestMessage(HttpMethod.Options, "/v1/popular")
        {
            Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "GET" }, { "Access-Control-Request-Headers", "authorization" } },
        };
        using var allowed = await gateway.Client(null).SendAsync(preflight(SecurityGatewayFactory.AllowedOrigin));
        using var other = await gateway.Client(null).SendAsync(preflight("https://evil.example"));
        var huge = gateway.Client(null);
        huge.DefaultRequestHeaders.Add("X-Padding", new string('a', 20_000));
        using var tooLarge = await huge.GetAsync("/health/live");

        Assert.Equal(SecurityGatewayFactory.AllowedOrigin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooLarge.StatusCode);
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, string method, string path, HttpClient client)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode}, expected {(int)expected}");
        await response.ProblemAsync();
    }

    /// <summary>Every endpoint the app maps, with ids filled in: a route added later is covered without a change here.</summary>
    private List<(string Method, string Path, IReadOnlyList<object> Metadata)> Endpoints() =>
        [.. gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (
                m, System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, "{[^}:]+(:int)?}", m => m.Groups[1].Success ? "1" : "x1"), (IReadOnlyList<object>)e.Metadata)))];
}
