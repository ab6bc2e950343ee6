using System.Net.Http.Json;

namespace Personalization.Bench.Eval;

/// <summary>The HTTP client of a running gateway, as every bench path that takes <c>--url</c> uses it.</summary>
public static class GatewayHttp
{
    /// <summary>API batch limit: events or items per request.</summary>
    public const int MaxBatch = 1000;

    public static HttpClient Client(Uri url, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>POSTs <paramref name="body"/> as a JSON array; a status other than 2xx is an exception naming the answer.</summary>
    public static async Task PostArrayAsync<T>(this HttpClient client, string path, IEnumerable<T> body)
    {
        using var response = await client.PostAsJsonAsync(path, body.ToArray());
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
