using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Services;

namespace Personalization.Gateway.Api;

/// <summary>Learning mode (docs/learning.md): a learner's mastery per skill and predicted success on exercises.</summary>
public static class LearningApi
{
    public const int MaxItemIds = 100;
    public const int MaxWeakest = 5;

    private static readonly QueryParameter _itemIds = QueryParameter.IdList("itemIds", "comma-separated exercise ids", MaxItemIds, required: true);

    public static RouteGroupBuilder MapLearningApi(this RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users/{userId}").WithTags("Learning").RequireApiRole(ApiRole.Read).AllowUserToken();
        users.MapGet("/mastery", MasteryAsync).WithName("GetMastery").WithSummary("A learner's mastery per skill");
        users.MapGet("/predictions", PredictionsAsync).WithName("GetPredictions").WithSummary("Predicted success on exercises").WithQuery(_itemIds);
        return v1;
    }

    public sealed record SkillMastery(string Skill, double Mastery, int Attempts, double PredictedSuccess);

    public sealed record MasteryResponse(string UserId, SkillMastery[] Skills, string[] Weakest);

    public sealed record Prediction(string ItemId, double PCorrect);

    public sealed record PredictionsResponse(string UserId, Prediction[] Predictions);

    /// <summary>
    /// The learner's practiced skills, best mastered first (mastery: P(success) on an exercise of average difficulty
    /// of the skill; predicted success: on the kind of exercise of it the learner has been answering).
    /// </summary>
    public static SkillMastery[] Skills(LearnerSnapshot snapshot)
    {
        var learner = LearnerEvidence.From(snapshot.Learner);
        return [.. snapshot.Skills
            .Select(s => (Skill: s.Key, Evidence: new SkillEvidence(s.Value)))
            .Select(s => new SkillMastery(
                s.Skill,
                KnowledgeTracing.Mastery(learner, s.Evidence),
                s.Evidence.Attempts,
                KnowledgeTracing.PredictedSuccess(learner, s.Evidence)))
            .OrderByDescending(s => s.Mastery)
            .ThenBy(s => s.Skill, StringComparer.Ordinal)];
    }

    private static async Task<Results<Ok<MasteryResponse>, ValidationProblem>> MasteryAsync(string userId, LearnerService learners)
    {
        if (Problems.InvalidId("userId", userId) is { } invalid)
        {
            return invalid;
        }

        var skills = Skills(await learners.GetAsync(userId));
        var weakest = skills.Reverse().Take(MaxWeakest).Select(s => s.Skill).ToArray();
        return TypedResults.Ok(new MasteryResponse(userId, skills, weakest));
    }

    private static async Task<Results<Ok<PredictionsResponse>, ValidationProblem>> PredictionsAsync(
        string userId, HttpRequest http, LearnerService learners)
    {
        var query = new QueryReader(http, new ValidationErrors());
        Problems.CheckId(query.Errors, "userId", userId);
        var itemIds = query.IdList(_itemIds);
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        var predictions = await learners.PredictAsync(userId, itemIds);
        return TypedResults.Ok(new PredictionsResponse(userId, [.. predictions.Select(p => new Prediction(p.ItemId, p.PCorrect))]));
    }
}
