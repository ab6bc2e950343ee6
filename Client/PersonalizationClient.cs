namespace Personalization.Client;

/// <summary>Makes the client of one gateway (or of the load balancer in front of a cluster).</summary>
public static class PersonalizationClient
{
    /// <summary>
    /// The generated API over an <see cref="HttpClient"/> that sends <paramref name="apiKey"/> as <c>X-Api-Key</c> and
    /// retries transient failures (<see cref="RetryHandler"/>). Keep one per gateway for the life of the app.
    /// </summary>
    public static PersonalizationApi Create(Uri baseAddress, string? apiKey = null, RetryOptions? retry = null, HttpMessageHandler? transport = null)
    {
        var http = new HttpClient(new RetryHandler(retry ?? new RetryOptions()) { InnerHandler = transport ?? new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress,
        };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return new PersonalizationApi(http);
    }
}
