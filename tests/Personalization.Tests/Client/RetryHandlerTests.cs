using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personalization.Client;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Client;

/// <summary>The client's retries against a real HTTP server that refuses the first tries.</summary>
public sealed class RetryHandlerTests
{
    [Fact]
    public async Task A_503_with_Retry_After_is_sent_again_with_the_same_body_after_the_wait()
    {
        await using var server = await RefusingServer.StartAsync(refusals: 1, HttpStatusCode.ServiceUnavailable, retryAfterSeconds: 1);
        using var client = Client(server.Address, new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1) });

        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/events", new[] { new { eventId = "e1" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}, before the 1 s the server asked for");
        Assert.Equal(2, server.Bodies.Count);
        Assert.Equal(server.Bodies[0], server.Bodies[1]);
        Assert.Contains("\"e1\"", server.Bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tries_stop_at_the_limit_and_the_last_answer_is_returned()
    {
        await using var server = await RefusingServer.StartAsync(refusals: 10, HttpStatusCode.TooManyRequests, retryAfterSeconds: 0);
        using var client = Client(server.Address, new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) });

        using var response = await client.PostAsJsonAsync("/events", new[] { new { eventId = "e1" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(3, server.Bodies.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_sent_again()
    {
        await using var server = await RefusingServer.StartAsync(refusals: 10, HttpStatusCode.BadRequest, retryAfterSeconds: 0);
        using var client = Client(server.Address, new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1) });

        using var response = await client.PostAsJsonAsync("/events", new[] { new { eventId = "e1" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(server.Bodies);
    }

    private static HttpClient Client(Uri address, RetryOptions options) =>
        new(new RetryHandler(options) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = address };

    /// <summary>A Kestrel server on a free loopback port that answers its first requests with one status, then 200.</summary>
    private sealed class RefusingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private RefusingServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public List<string> Bodies { get; } = [];

        public static async Task<RefusingServer> StartAsync(int refusals, HttpStatusCode status, int retryAfterSeconds)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
            var app = WebApplication.CreateSlimBuilder().Build();
            app.Urls.Add(address.ToString());
            var server = new RefusingServer(app, address);
            app.MapPost("/events", async (HttpRequest request, HttpResponse response) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                int tries;
                lock (server.Bodies)
                {
                    server.Bodies.Add(body);
                    tries = server.Bodies.Count;
                }

                if (tries > refusals)
                {
                    return Results.Ok();
                }

                response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.StatusCode((int)status);
            });
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
