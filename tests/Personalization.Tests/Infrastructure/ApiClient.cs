using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalization.Tests.Infrastructure;

/// <summary>Small helpers over the HTTP API, shared by the HTTP and process tests.</summary>
public static class ApiClient
{
    public static async Task<JsonObject> PostItemsAsync(this HttpClient client, params object[] items) =>
        await SendOkAsync(client.PostAsJsonAsync("/v1/items", items));

    public static async Task<JsonObject> PostEventsAsync(this HttpClient client, params object[] events) =>
        await SendOkAsync(client.PostAsJsonAsync("/v1/events", events));

    public static async Task<string[]> RecommendAsync(this HttpClient client, string userId, string query = "") =>
        ItemIds(await GetOkAsync(client, $"/v1/users/{userId}/recommendations?{query}"));

    /// <summary>POST /v1/items/import of <paramref name="lines"/> (newline-delimited JSON), whatever the answer.</summary>
    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, string lines)
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(lines));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        return client.PostAsync("/v1/items/import", content);
    }

    public static async Task<JsonObject> GetOkAsync(this HttpClient client, string path) =>
        await SendOkAsync(client.GetAsync(path));

    public static string[] ItemIds(JsonObject list) =>
        [.. list["items"]!.AsArray().Select(item => (string)item!["itemId"]!)];

    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<JsonObject> SendOkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
