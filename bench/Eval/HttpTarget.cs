using System.Net.Http.Json;
using Personalization.Bench.Data;
using Personalization.Model;

namespace Personalization.Bench.Eval;

/// <summary>A running gateway, driven through its public HTTP API (use a fresh data folder per run).</summary>
public sealed class HttpTarget(HttpClient client) : IRecommenderTarget
{
    /// <summary>The API's batch and list limits.</summary>
    private const int MaxBatch = 1000;

    public int MaxCount => 100;

    public static HttpTarget Create(Uri url, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return new HttpTarget(client);
    }

    public async Task UpsertItemsAsync(IReadOnlyList<string> items, IReadOnlyDictionary<string, string[]> categories)
    {
        foreach (var chunk in items.Chunk(MaxBatch))
        {
            await PostAsync("v1/items", chunk.Select(id => new { id, categories = categories.GetValueOrDefault(id) ?? [] }));
        }
    }

    public async Task RecordAsync(IReadOnlyList<Interaction> ratings)
    {
        foreach (var chunk in ratings.Chunk(MaxBatch))
        {
            await PostAsync("v1/events", chunk.Select(r => new
            {
                eventId = $"r{r.Index}",
                userId = r.UserId,
                itemId = r.ItemId,
                type = EventSignal.Rating,
                value = r.Rating,
                timestamp = r.Timestamp,
            }));
        }
    }

    public async Task<IReadOnlyList<string>> RecommendAsync(string userId, int count, DateTimeOffset asOf)
    {
        var answer = await client.GetFromJsonAsync<Recommendations>(
            $"v1/users/{Uri.EscapeDataString(userId)}/recommendations?count={Math.Min(count, MaxCount)}");
        return [.. answer!.Items.Select(i => i.ItemId)];
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task PostAsync<T>(string path, IEnumerable<T> body)
    {
        using var response = await client.PostAsJsonAsync(path, body.ToArray());
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private sealed record Recommendations(RecommendedItem[] Items);

    private sealed record RecommendedItem(string ItemId);
}
