using Personalization.Gateway.Api;
using Personalization.Grains.Users;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// One user's state stays bounded while its promises hold: a client inventing ever new skills meets the skill cap (the
/// oldest go), and event ids are remembered over the idempotency window and forgotten only past it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class UserStateCapsTests(GatewayFactory gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task A_learner_keeps_evidence_of_at_most_the_skill_capacity_and_the_skills_answered_longest_ago_go()
    {
        var key = Catalog.NewId("skill-cap");
        var exercises = Enumerable.Range(0, UserLimits.SkillCapacity / ItemsApi.MaxSkills + 1)
            .Select(e => (Id: $"{key}-ex{e}", Skills: Enumerable.Range(0, ItemsApi.MaxSkills).Select(s => $"{key}-s{e}-{s}").ToArray()))
            .ToArray();
        await _client.PostItemsAsync([.. exercises.Select(e => (object)new { id = e.Id, skills = e.Skills })]);
        var learner = Catalog.NewId("learner");
        var start = DateTimeOffset.UtcNow.AddHours(-1);

        await _client.PostEventsAsync([.. exercises.Select((e, i) => (object)new
        {
            userId = learner, itemId = e.Id, type = "answer", value = 1, timestamp = start.AddSeconds(i).ToString("O"),
        })]);

        var skills = (await _client.GetOkAsync($"/v1/users/{learner}/mastery"))["skills"]!.AsArray()
            .Select(s => (string)s!["skill"]!).ToHashSet(StringComparer.Ordinal);
        Assert.True(exercises.Sum(e => e.Skills.Length) > UserLimits.SkillCapacity);
        Assert.Equal(UserLimits.SkillCapacity, skills.Count);
        Assert.DoesNotContain(exercises[0].Skills, skills.Contains);
        Assert.All(exercises[^1].Skills, skill => Assert.Contains(skill, skills));
    }

    [Fact]
    public async Task Event_ids_are_duplicates_over_the_whole_window_and_accepted_again_only_past_it()
    {
        var catalog = await Catalog.CreateAsync(_client, categories: 1, perCategory: 20);
        var user = Catalog.NewId("window");
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        object Event(int n) => new
        {
            eventId = $"w-{n}", userId = user, itemId = catalog.ItemsIn(0)[n % 20], type = "view", timestamp = start.AddMilliseconds(n).ToString("O"),
        };

        await SendAsync(0, UserLimits.IdempotencyWindow);
        Assert.Equal(1, (int)(await _client.PostEventsAsync(Event(0)))["duplicates"]!);

        // Trimming drops ids a chunk at a time: once that many more came, the oldest are forgotten, the last window never.
        var sent = UserLimits.IdempotencyWindow + UserLimits.TrimChunk + 1;
        await SendAsync(UserLimits.IdempotencyWindow, sent);
        Assert.Equal(1, (int)(await _client.PostEventsAsync(Event(sent - UserLimits.IdempotencyWindow)))["duplicates"]!);
        Assert.Equal(1, (int)(await _client.PostEventsAsync(Event(0)))["accepted"]!);

        async Task SendAsync(int from, int to)
        {
            foreach (var batch in Enumerable.Range(from, to - from).Chunk(EventsApi.MaxBatch))
            {
                Assert.Equal(batch.Length, (int)(await _client.PostEventsAsync([.. batch.Select(Event)]))["accepted"]!);
            }
        }
    }
}
