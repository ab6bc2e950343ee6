using Personalization.Gateway.Api;
using Personalization.Grains.Users;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>A client inventing ever new skills cannot grow one learner's state without bound: the cap holds, the oldest go.</summary>
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
}
