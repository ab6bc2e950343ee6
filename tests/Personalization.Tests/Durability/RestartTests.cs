using System.Text.Json.Nodes;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Durability;

/// <summary>Real gateway processes on one data folder: what was acknowledged survives a restart and a SIGKILL.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task After_a_graceful_stop_and_start_the_next_recommendations_equal_those_before()
    {
        using var data = new TempDirectory();
        var users = Enumerable.Range(0, 5).Select(i => $"user{i}").ToArray();
        Dictionary<string, string[]> before;
        await using (var gateway = await TestHost.StandaloneGatewayAsync(data.Path))
        {
            var client = gateway.Client();
            var catalog = await Catalog.CreateAsync(client, categories: 4, perCategory: 40);
            var random = new Random(11);
            await client.PostEventsAsync([.. users.SelectMany((user, u) => Enumerable.Range(0, 8).Select(i => (object)new
            {
                userId = user,
                itemId = catalog.ItemsIn((u + i % 2) % 4)[random.Next(40)],
                type = i % 3 == 0 ? "purchase" : "click",
                sessionId = $"s{i / 4}",
            }))]);
            before = await RecommendationsAsync(client, users);
            await gateway.StopAsync();
        }

        await using (var restarted = await TestHost.StandaloneGatewayAsync(data.Path))
        {
            var after = await RecommendationsAsync(restarted.Client(), users);
            foreach (var user in users)
            {
                Assert.Equal(before[user], after[user]);
            }
        }
    }

    [Fact]
    public async Task After_SIGKILL_right_after_the_last_acknowledgement_every_acknowledged_event_is_there()
    {
        using var data = new TempDirectory();
        var users = Enumerable.Range(0, 20).Select(i => $"user{i}").ToArray();
        var acknowledged = users.ToDictionary(u => u, _ => 0);
        await using (var gateway = await TestHost.StandaloneGatewayAsync(data.Path))
        {
            var client = gateway.Client();
            var random = new Random(5);
            // Concurrent batches, as clients would send them; the process dies the moment the last one is acknowledged.
            var batches = Enumerable.Range(0, 20).Select(b => users
                .SelectMany(user => Enumerable.Range(0, random.Next(1, 6)).Select(i => (user, item: $"item{random.Next(300)}", id: $"{user}-{b}-{i}")))
                .ToArray()).ToArray();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, _) =>
            {
                var result = await client.PostEventsAsync([.. batch.Select(e => (object)new { eventId = e.id, userId = e.user, itemId = e.item, type = "click" })]);
                Assert.Equal(batch.Length, (int)result["accepted"]!);
                lock (acknowledged)
                {
                    foreach (var e in batch)
                    {
                        acknowledged[e.user]++;
                    }
                }
            });
            await gateway.KillAsync();
        }

        await using var restarted = await TestHost.StandaloneGatewayAsync(data.Path);
        var after = restarted.Client();
        foreach (var user in users)
        {
            Assert.Equal(acknowledged[user], (long)(await after.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
        }
    }

    [Fact]
    public async Task After_SIGKILL_the_learner_state_is_rebuilt_from_the_acknowledged_answers()
    {
        using var data = new TempDirectory();
        const string Learner = "learner";
        JsonObject before;
        await using (var gateway = await TestHost.StandaloneGatewayAsync(data.Path))
        {
            var client = gateway.Client();
            await client.PostItemsAsync([.. new[] { "a", "b" }.SelectMany(skill => Enumerable.Range(0, 3).Select(i => (object)new { id = $"{skill}{i}", skills = new[] { skill } }))]);
            await client.PostEventsAsync([.. Enumerable.Range(0, 3).SelectMany(i => new object[]
            {
                new { userId = Learner, itemId = $"a{i}", type = "answer", value = 0 },
                new { userId = Learner, itemId = $"b{i}", type = "answer", value = 1 },
            })]);
            before = await client.GetOkAsync($"/v1/users/{Learner}/mastery");
            await gateway.KillAsync();
        }

        await using var restarted = await TestHost.StandaloneGatewayAsync(data.Path);
        var after = await restarted.Client().GetOkAsync($"/v1/users/{Learner}/mastery");
        Assert.Equal(["a", "b"], after["weakest"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(Attempts(before), Attempts(after));
        Assert.Equal([3, 3], Attempts(after));
    }

    private static int[] Attempts(JsonObject mastery) =>
        [.. mastery["skills"]!.AsArray().OrderBy(s => (string)s!["skill"]!).Select(s => (int)s!["attempts"]!)];

    private static async Task<Dictionary<string, string[]>> RecommendationsAsync(HttpClient client, string[] users)
    {
        var lists = new Dictionary<string, string[]>();
        foreach (var user in users)
        {
            lists[user] = await client.RecommendAsync(user, "count=20");
            lists[user + "/s0"] = await client.RecommendAsync(user, "count=20&sessionId=s0");
        }

        return lists;
    }
}
