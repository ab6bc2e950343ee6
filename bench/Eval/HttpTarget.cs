using System.Net.Http.Json;
using Personalization.Bench.Data;
using Personalization.Model;

namespace Personalization.Bench.Eval;

/// <summary>A running gateway, driven through its public HTTP API (use a fresh data folder per run).</summary>
public sealed class HttpTarget(HttpClient client) : IRecommenderTarget
{
    public int MaxCount => 100;

    public static HttpTarget Create(Uri url, string? apiKey) => new(GatewayHttp.Client(url, apiKey));

    public async Task UpsertItemsAsync(IReadOnlyList<string> items, IReadOnlyDictionary<string, string[]> categories)
    {
        foreach (var chunk in items.Chunk(GatewayHttp.MaxBatch))
        {
            await client.PostArrayAsync("v1/items", chunk.Select(id => new { id, categories = categories.GetValueOrDefault(id) ?? [] }));
        }
    }

    public async Task RecordAsync(IReadOnlyList<Interaction> ratings)
    {
        foreach (var chunk in ratings.Chunk(GatewayHttp.MaxBatch))
        {
            await client.PostArrayAsync("v1/events", chunk.Select(r => new
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

    private sealed record Recommendations(RecommendedItem[] Items);

    private sealed record RecommendedItem(string ItemId);
}
