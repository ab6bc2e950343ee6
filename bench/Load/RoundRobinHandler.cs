namespace Personalization.Bench.Load;

/// <summary>
/// Spreads requests over several servers of one service (a cluster's nodes, say): request n goes to server n mod count,
/// whatever address the client resolved it against.
/// </summary>
public sealed class RoundRobinHandler(IReadOnlyList<Uri> servers, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private long _next = -1;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var server = servers[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)servers.Count)];
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = server.Scheme, Host = server.Host, Port = server.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
