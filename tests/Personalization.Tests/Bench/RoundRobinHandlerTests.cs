using System.Net;
using Personalization.Bench.Load;

namespace Personalization.Tests.Bench;

/// <summary><c>bench load</c> with several <c>--url</c>: its requests go to each server in turn.</summary>
public sealed class RoundRobinHandlerTests
{
    [Fact]
    public async Task Requests_go_to_each_server_in_turn_with_their_paths_and_queries()
    {
        Uri[] servers = [new("http://127.0.0.1:1001"), new("http://127.0.0.1:1002"), new("http://127.0.0.1:1003")];
        var seen = new List<Uri>();
        using var client = new HttpClient(new RoundRobinHandler(servers, new Recording(seen))) { BaseAddress = servers[0] };

        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync($"/v1/users/u{i}/recommendations?count=10");
        }

        Assert.Equal([1001, 1002, 1003, 1001, 1002, 1003], seen.Select(uri => uri.Port));
        Assert.Equal("/v1/users/u4/recommendations?count=10", seen[4].PathAndQuery);
    }

    private sealed class Recording(List<Uri> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
