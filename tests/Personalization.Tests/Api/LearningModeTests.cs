using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>Learning mode over real HTTP: every answer shows at once in mastery, predictions and practice.</summary>
public abstract class LearningModeTests(IGatewayHost gateway)
{
    private const int PerSkill = 25;

    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task Three_wrong_answers_on_one_skill_make_it_the_weakest_and_practice_serves_it_near_the_target_success()
    {
        var (skills, exercises) = await CreateExercisesAsync("fractions", "decimals", "geometry");
        var learner = Catalog.NewId("learner");
        var before = await MasteryAsync(learner);
        Assert.Empty(before["skills"]!.AsArray());

        await AnswerAsync(learner, exercises[skills[1]][12], 1);
        await AnswerAsync(learner, exercises[skills[2]][12], 1);
        var afterRight = await SkillAsync(learner, skills[1]);
        Assert.Equal(1, (int)afterRight!["attempts"]!);
        await AnswerAsync(learner, exercises[skills[1]][13], 1);
        await AnswerAsync(learner, exercises[skills[2]][13], 1);
        for (var i = 0; i < 3; i++)
        {
            var previous = await SkillAsync(learner, skills[0]);
            await AnswerAsync(learner, exercises[skills[0]][10 + i], 0);
            // The very next read reflects the answer. Mastery need not fall at every wrong answer: the weights of the
            // features (counts, last answers) are learned from all learners' answers, nothing makes them monotone.
            var next = await SkillAsync(learner, skills[0]);
            Assert.Equal((int)(previous?["attempts"] ?? 0) + 1, (int)next!["attempts"]!);
        }

        var mastery = await MasteryAsync(learner);
        Assert.Equal(skills[0], (string)mastery["weakest"]![0]!);
        Assert.Equal(3, mastery["weakest"]!.AsArray().Count);

        var practice = await _client.GetOkAsync($"/v1/users/{learner}/recommendations?goal=practice&targetSuccess=0.7&count=5");
        var items = ApiClient.ItemIds(practice);
        Assert.Equal(5, items.Length);
        var predictions = await PredictionsAsync(learner, items);
        var described = string.Join(", ", items.Select(id => $"{id} {predictions[id]:F2}"));
        // The weakest skill has 25 exercises: all five are of it, nearest the target first.
        Assert.All(items, id => Assert.Contains(id, exercises[skills[0]]));
        var distances = items.Select(id => Math.Abs(predictions[id] - 0.7)).ToArray();
        Assert.True(distances.Zip(distances.Skip(1), (a, b) => a <= b + 1e-6).All(ordered => ordered), described);
        Assert.True(distances.Count(d => d <= 0.15) >= 3, described);
        foreach (var item in practice["items"]!.AsArray())
        {
            var reason = (string)item!["reason"]!;
            Assert.Contains(skills[0], reason);
            Assert.Contains("mastery", reason);
            Assert.Contains(predictions[(string)item["itemId"]!].ToString("F2", CultureInfo.InvariantCulture), reason);
        }
    }

    [Fact]
    public async Task Practice_goes_to_the_failed_skill_first_among_skills_of_equal_exercises()
    {
        // Four skills of 12 exercises of the same difficulty: three answered right three times each, then fractions wrong
        // three times. Nearness to the target success must not lift an exercise of a skill answered right above fractions.
        var (skills, exercises) = await CreateExercisesAsync(12, _ => 0, "fractions", "decimals", "geometry", "algebra");
        var fractions = skills[0];
        var learner = Catalog.NewId("learner");
        foreach (var skill in skills.Skip(1).Append(fractions))
        {
            for (var i = 0; i < 3; i++)
            {
                await AnswerAsync(learner, exercises[skill][i], skill == fractions ? 0 : 1);
            }
        }

        var mastery = await MasteryAsync(learner);
        Assert.Equal(fractions, (string)mastery["weakest"]![0]!);
        var fractionsMastery = (double)(await SkillAsync(learner, fractions))!["mastery"]!;

        var practice = await _client.GetOkAsync($"/v1/users/{learner}/recommendations?goal=practice&targetSuccess=0.7&count=5");
        var items = practice["items"]!.AsArray().Select(i => (Id: (string)i!["itemId"]!, Reason: (string)i["reason"]!)).ToList();
        Assert.Equal(5, items.Count);
        var ofFractions = items.Where(i => exercises[fractions].Contains(i.Id)).ToList();
        Assert.True(ofFractions.Count >= 4, $"{ofFractions.Count} of 5 practice items of {fractions}: {string.Join("; ", items.Select(i => i.Reason))}");
        var predictions = await PredictionsAsync(learner, ofFractions.Select(i => i.Id));
        foreach (var (id, reason) in ofFractions)
        {
            // The reason names the skill with the mastery /mastery shows, and the exercise's predicted success.
            Assert.StartsWith(
                string.Create(CultureInfo.InvariantCulture, $"practice {fractions}: mastery {fractionsMastery:F2}, predicted success {predictions[id]:F2}"), reason);
        }
    }

    [Fact]
    public async Task Predictions_fall_with_difficulty_rise_after_right_answers_and_leave_out_items_that_are_not_exercises()
    {
        var (skills, exercises) = await CreateExercisesAsync("algebra");
        var plain = Catalog.NewId("plain");
        await _client.PostItemsAsync(new { id = plain });
        var learner = Catalog.NewId("learner");
        var easy = exercises[skills[0]][2];
        var hard = exercises[skills[0]][22];

        var item = await _client.GetOkAsync($"/v1/items/{hard}");
        Assert.Equal([skills[0]], item["skills"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(-3 + 6.0 * 22 / (PerSkill - 1), (double)item["difficulty"]!, 9);
        Assert.Null((await _client.GetOkAsync($"/v1/items/{plain}"))["difficulty"]);

        var first = await PredictionsAsync(learner, [easy, hard, plain]);
        Assert.Equal(new[] { easy, hard }, first.Keys.ToArray());
        Assert.True(first[easy] > first[hard]);

        await AnswerAsync(learner, exercises[skills[0]][5], 1);
        await AnswerAsync(learner, exercises[skills[0]][6], 1);
        var second = await PredictionsAsync(learner, [easy, hard]);
        Assert.True(second[hard] > first[hard]);
        Assert.True(second[easy] > first[easy]);
    }

    [Fact]
    public async Task The_learner_state_is_exported_and_erased_with_the_user_and_an_opted_out_learner_keeps_none()
    {
        var (skills, exercises) = await CreateExercisesAsync("reading");
        var learner = Catalog.NewId("learner");
        await AnswerAsync(learner, exercises[skills[0]][0], 1);

        var export = await _client.GetOkAsync($"/v1/users/{learner}/export");
        var exported = export["learner"]!["skills"]!.AsArray().Single()!;
        Assert.Equal(skills[0], (string)exported["skill"]!);
        Assert.Equal(1, (int)exported["attempts"]!);
        Assert.Equal([1], exported["lastAnswers"]!.AsArray().Select(a => (int)a!));
        var exercise = export["learner"]!["exercises"]!.AsArray().Single()!;
        Assert.Equal((exercises[skills[0]][0], 1, 1.0), ((string)exercise["itemId"]!, (int)exercise["attempts"]!, (double)exercise["lastAnswer"]!));

        using (var erase = await _client.DeleteAsync($"/v1/users/{learner}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        }

        Assert.Empty((await MasteryAsync(learner))["skills"]!.AsArray());

        using (var optOut = await _client.PutAsJsonAsync($"/v1/users/{learner}/consent", new { personalization = false }))
        {
            optOut.EnsureSuccessStatusCode();
        }

        await AnswerAsync(learner, exercises[skills[0]][1], 0);
        Assert.Empty((await MasteryAsync(learner))["skills"]!.AsArray());
        var optedOut = (await _client.GetOkAsync($"/v1/users/{learner}/export"))["learner"]!;
        Assert.Empty(optedOut["skills"]!.AsArray());
        Assert.Empty(optedOut["exercises"]!.AsArray());
    }

    /// <summary>Skills unique to the test, each with <see cref="PerSkill"/> exercises of difficulty -3 to 3 (index order).</summary>
    private Task<(string[] Skills, Dictionary<string, string[]> Exercises)> CreateExercisesAsync(params string[] names) =>
        CreateExercisesAsync(PerSkill, i => -3 + 6.0 * i / (PerSkill - 1), names);

    /// <summary>Skills unique to the test, each with <paramref name="perSkill"/> exercises, the i-th of the given difficulty.</summary>
    private async Task<(string[] Skills, Dictionary<string, string[]> Exercises)> CreateExercisesAsync(int perSkill, Func<int, double> difficulty, params string[] names)
    {
        var key = Guid.NewGuid().ToString("N")[..8];
        var skills = names.Select(n => $"{n}-{key}").ToArray();
        var exercises = skills.ToDictionary(s => s, s => Enumerable.Range(0, perSkill).Select(i => $"{s}-ex{i}").ToArray());
        await _client.PostItemsAsync([.. skills.SelectMany(s => exercises[s].Select((id, i) => (object)new
        {
            id, skills = new[] { s }, difficulty = difficulty(i),
        }))]);
        return (skills, exercises);
    }

    private Task AnswerAsync(string learner, string exercise, double value) =>
        _client.PostEventsAsync(new { userId = learner, itemId = exercise, type = "answer", value });

    private Task<JsonObject> MasteryAsync(string learner) => _client.GetOkAsync($"/v1/users/{learner}/mastery");

    private async Task<JsonNode?> SkillAsync(string learner, string skill) =>
        (await MasteryAsync(learner))["skills"]!.AsArray().SingleOrDefault(s => (string)s!["skill"]! == skill);

    private async Task<Dictionary<string, double>> PredictionsAsync(string learner, IEnumerable<string> itemIds)
    {
        var answer = await _client.GetOkAsync($"/v1/users/{learner}/predictions?itemIds={string.Join(',', itemIds)}");
        return answer["predictions"]!.AsArray().ToDictionary(p => (string)p!["itemId"]!, p => (double)p!["pCorrect"]!);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneLearningModeTests(GatewayFactory gateway) : LearningModeTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterLearningModeTests(PostgresGatewayCluster cluster) : LearningModeTests(cluster);
