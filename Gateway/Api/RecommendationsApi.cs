using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Validation;
using Personalization.Services;

namespace Personalization.Gateway.Api;

public static class RecommendationsApi
{
    public const int MaxCount = 100;
    public const int MaxExclude = 100;

    /// <summary>The one <c>goal</c> besides the default (what the user will like): exercises to practice (learning mode).</summary>
    public const string PracticeGoal = "practice";

    public static RouteGroupBuilder MapRecommendationsApi(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/").WithTags("Recommendations").RequireApiRole(ApiRole.Read);
        group.MapGet("/users/{userId}/recommendations", ForUserAsync);
        group.MapGet("/items/{itemId}/similar", SimilarAsync);
        group.MapGet("/popular", PopularAsync);
        return v1;
    }

    public sealed record RecommendationsResponse(string UserId, string RecommendationId, RecommendedItem[] Items);

    public sealed record SimilarResponse(string ItemId, RecommendedItem[] Items);

    public sealed record PopularResponse(RecommendedItem[] Items);

    private static async Task<Results<Ok<RecommendationsResponse>, ValidationProblem>> ForUserAsync(
        string userId, HttpRequest http, RecommendationService recommender, IOptions<RankingOptions> ranking)
    {
        var defaults = ranking.Value;
        var query = new QueryReader(http.Query, new ValidationErrors());
        Problems.CheckId(query.Errors, "userId", userId);
        var request = new RecommendationRequest(
            Count: query.Int("count", 10, 1, MaxCount),
            SessionId: query.Id("sessionId"),
            Category: query.Label("category"),
            Exclude: query.IdList("exclude", MaxExclude),
            ExcludeSeen: query.Bool("excludeSeen", true),
            Explore: query.Number("explore", defaults.Explore, 0, 1),
            Diversity: query.Number("diversity", defaults.Diversity, 0, 1),
            PopularityPenalty: query.Number("popularityPenalty", defaults.PopularityPenalty, 0, 1));
        var goal = query.Label("goal");
        var targetSuccess = query.Probability("targetSuccess", 0.7);
        if (goal is not (null or PracticeGoal))
        {
            query.Errors.Add("goal", $"'goal' must be '{PracticeGoal}' or absent.");
        }

        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        var items = goal == PracticeGoal ? recommender.PracticeAsync(userId, targetSuccess, request.Count, request.Exclude) : recommender.ForUserAsync(userId, request);
        return TypedResults.Ok(new RecommendationsResponse(userId, Guid.NewGuid().ToString("N"), await items));
    }

    private static async Task<Results<Ok<SimilarResponse>, ValidationProblem, ProblemHttpResult>> SimilarAsync(
        string itemId, HttpRequest http, RecommendationService recommender)
    {
        var query = new QueryReader(http.Query, new ValidationErrors());
        Problems.CheckId(query.Errors, "itemId", itemId);
        var count = query.Int("count", 10, 1, MaxCount);
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        var items = await recommender.SimilarAsync(itemId, count);
        return items is null ? Problems.ItemNotFound(itemId) : TypedResults.Ok(new SimilarResponse(itemId, items));
    }

    private static async Task<Results<Ok<PopularResponse>, ValidationProblem>> PopularAsync(HttpRequest http, RecommendationService recommender)
    {
        var query = new QueryReader(http.Query, new ValidationErrors());
        var count = query.Int("count", 10, 1, MaxCount);
        var category = query.Label("category");
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        return TypedResults.Ok(new PopularResponse(await recommender.PopularAsync(count, category)));
    }
}
