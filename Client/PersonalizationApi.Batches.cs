using System.Net.Http.Headers;
using System.Text.Json;

namespace Personalization.Client;

/// <summary>The calls where a client does more than the document says: event ids, and the import's one item per line.</summary>
public partial class PersonalizationApi
{
    /// <summary>
    /// Records <paramref name="events"/> (at most 1,000) after giving every event without an id a new one, so that a
    /// retry of this call, by the <see cref="RetryHandler"/> or by the caller with the same objects, is counted once.
    /// A 200 means every event is durable.
    /// </summary>
    public Task<IngestResponse> SendEventsAsync(IReadOnlyCollection<EventBody> events, CancellationToken cancellationToken = default)
    {
        foreach (var item in events)
        {
            item.EventId ??= Guid.NewGuid().ToString("N");
        }

        return RecordEventsAsync(events, cancellationToken);
    }

    /// <summary>Imports a catalog as NDJSON (one item per line), for catalogs too large for batches of 1,000.</summary>
    public async Task<UpsertResponse> ImportItemsAsync(IEnumerable<ItemBody> items, CancellationToken cancellationToken = default)
    {
        using var body = new MemoryStream();
        foreach (var item in items)
        {
            JsonSerializer.Serialize(body, item, JsonSerializerSettings);
            body.WriteByte((byte)'\n');
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/items/import") { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await _httpClient.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiException($"The import was refused ({(int)response.StatusCode}).", (int)response.StatusCode, text, new Dictionary<string, IEnumerable<string>>(), null);
        }

        return JsonSerializer.Deserialize<UpsertResponse>(text, JsonSerializerSettings)!;
    }
}
