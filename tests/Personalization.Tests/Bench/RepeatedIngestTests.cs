using Personalization.Bench.Load;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Bench;

/// <summary>
/// The ceiling beside the ingest figures of <c>bench load</c>: the batches sent again must be the same batches, all
/// answered as duplicates, and change nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RepeatedIngestTests(GatewayFactory gateway)
{
    private const int Users = 40;
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public void A_batch_made_again_has_the_same_events_and_the_next_batch_others()
    {
        var sent = new SentBatches("run", 100, Users, random => $"load-item-{random.Next(50)}", new int[2]);

        Assert.Equal(Json(sent.Batch(1, 3)), Json(sent.Batch(1, 3)));
        Assert.NotEqual(Json(sent.Batch(1, 3)), Json(sent.Batch(1, 4)));
        Assert.NotEqual(Json(sent.Batch(1, 3)), Json(sent.Batch(0, 3)));

        static string Json(object[] batch) => System.Text.Json.JsonSerializer.Serialize(batch);
    }

    [Fact]
    public async Task Batches_sent_again_are_all_duplicates_and_leave_every_user_as_it_was()
    {
        var (first, sent) = await Scenarios.IngestAsync(_client, TimeSpan.FromSeconds(1), 100, workers: 2, Users, random => $"load-item-{random.Next(50)}");
        var counts = await InteractionCountsAsync();

        var repeated = await Scenarios.RepeatAsync(_client, TimeSpan.FromSeconds(1), sent);

        Assert.Equal(0, first.Failed);
        Assert.True(sent.PerWorker.All(batches => batches > 0));
        Assert.True(repeated.RequestsPerSec > 0);
        Assert.Equal(0, repeated.Failed);
        Assert.Equal(counts, await InteractionCountsAsync());
    }

    private async Task<long[]> InteractionCountsAsync() =>
        await Task.WhenAll(Enumerable.Range(0, Users).Select(async user =>
            (long)(await _client.GetOkAsync($"/v1/users/{Scenarios.UserId(user)}"))["interactionCount"]!));
}
