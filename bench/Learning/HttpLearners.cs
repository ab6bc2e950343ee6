using System.Net.Http.Json;
using Personalization.Bench.Eval;
using Personalization.Interfaces;

namespace Personalization.Bench.Learning;

/// <summary>
/// A running gateway, driven as a learning platform would: exercises upserted through <c>/v1/items</c>, answers posted to
/// <c>/v1/events</c> without timestamps (the gateway stamps them with its clock), predictions from
/// <c>GET /v1/users/{id}/predictions</c>.
/// </summary>
public sealed class HttpLearners(Uri url, string? apiKey) : ILearnerTarget
{
    private readonly HttpClient _client = GatewayHttp.Client(url, apiKey);

    public string Name => url.ToString();

    public async Task UpsertExercisesAsync(IReadOnlyList<(string ItemId, string[] Skills)> exercises)
    {
        foreach (var chunk in exercises.Chunk(GatewayHttp.MaxBatch))
        {
            await _client.PostArrayAsync("v1/items", chunk.Select(e => new { id = e.ItemId, skills = e.Skills }));
        }
    }

    public Task RecordAsync(IReadOnlyList<(string UserId, UserEvent Answer)> answers) =>
        _client.PostArrayAsync("v1/events", answers.Select(a => new
        {
            eventId = a.Answer.EventId,
            userId = a.UserId,
            itemId = a.Answer.ItemId,
            type = a.Answer.Type,
            value = a.Answer.Value,
        }));

    public async Task<double> PredictAsync(string userId, string itemId, DateTimeOffset asOf)
    {
        var answer = await _client.GetFromJsonAsync<PredictionsResponse>(
            $"v1/users/{Uri.EscapeDataString(userId)}/predictions?itemIds={Uri.EscapeDataString(itemId)}");
        return answer!.Predictions.Single().PCorrect;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record PredictionsResponse(Prediction[] Predictions);

    private sealed record Prediction(string ItemId, double PCorrect);
}
