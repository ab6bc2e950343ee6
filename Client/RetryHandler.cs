using System.Net;

namespace Personalization.Client;

/// <summary>
/// Sends a request again when the failure is transient: no connection, 408, 429, 502, 503 or 504. It waits what the
/// server's <c>Retry-After</c> asks, else an exponential backoff with jitter. Sending again is safe for events because
/// <see cref="PersonalizationClient"/> fixes their ids before the first try, so the service counts a repeat as a duplicate.
/// </summary>
public sealed class RetryHandler(RetryOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A sent request cannot be sent again: each try sends a copy, the body read once.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            using var copy = Copy(request, body);
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(copy, cancellationToken);
                if (!IsTransient(response.StatusCode) || attempt >= options.MaxAttempts)
                {
                    return response;
                }
            }
            catch (HttpRequestException) when (attempt < options.MaxAttempts)
            {
                // No answer: the server may not have taken the request, or may have; the same ids make either safe.
            }

            var delay = RetryAfter(response) ?? Backoff(attempt);
            response?.Dispose();
            await Task.Delay(delay < options.MaxDelay ? delay : options.MaxDelay, cancellationToken);
        }
    }

    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The wait the server asked for, as seconds or as a date; null when it asked none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };

    private TimeSpan Backoff(int attempt) =>
        options.BaseDelay * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var (name, values) in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return copy;
    }
}
