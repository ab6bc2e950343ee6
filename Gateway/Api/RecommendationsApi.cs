using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Telemetry;
using Personalization.Gateway.Validation;
using Personalization.Services;

namespace Personalization.Gateway.Api;

public static class RecommendationsApi
{
    public const int MaxCount = 100;
    public const int MaxExclude = 100;

    /// <summary>The one <c>goal</c> besides the default (what the user will like): exercises to practice (learning mode).</summary>
    public const string PracticeGoal = "practice";

    private static readonly QueryParameter _count = QueryParameter.Integer("count", "How many items to return.", 1, MaxCount, 10);
    private static readonly QueryParameter _category = QueryParameter.Label("category", "Only items of this category (one, exact).");
    private static readonly QueryParameter _sessionId = QueryParameter.Id("sessionId", "The session to personalize for; default: the user's latest session.");
    private static readonly QueryParameter _exclude = QueryParameter.IdList("exclude", "Comma-separated item ids never to return.", MaxExclude);
    private static readonly QueryParameter _excludeSeen = QueryParameter.Boolean("excludeSeen", "Leave out every item the user interacted with.", true);
    private static readonly QueryParameter _explore = QueryParameter.Number("explore", "Share of exploration; default: the gateway's Ranking:Explore.", 0, 1);
    private static readonly QueryParameter _diversity = QueryParameter.Number("diversity", "Weight of diversity; default: the gateway's Ranking:Diversity.", 0, 1);
    private static readonly QueryParameter _popularityPenalty = QueryParameter.Number(
        "popularityPenalty", "How much popular items are held back; default: the gateway's Ranking:PopularityPenalty.", 0, 1);
    private static readonly QueryParameter _goal = QueryParameter.Choice(
        "goal", $"'{PracticeGoal}': exercises to practice (learning mode) instead of what the user will like.", PracticeGoal);
    private static readonly QueryParameter _targetSuccess = QueryParameter.Probability(
        "targetSuccess", $"With goal={PracticeGoal}: the predicted success to aim at.", 0.7);

    public static RouteGroupBuilder MapRecommendationsApi(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/").WithTags("Recommendations").RequireApiRole(ApiRole.Read).AddEndpointFilter<RecommendationTiming>();
        group.MapGet("/users/{userId}/recommendations", ForUserAsync).WithName("RecommendForUser").AllowUserToken().WithSummary("Recommend items to a user")
            .WithQuery(_count, _sessionId, _category, _exclude, _excludeSeen, _explore, _diversity, _popularityPenalty, _goal, _targetSuccess);
        group.MapGet("/items/{itemId}/similar", SimilarAsync).WithName("GetSimilarItems").WithSummary("Items similar to an item").WithQuery(_count)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/popular", PopularAsync).WithName("GetPopularItems").WithSummary("Popular items").WithQuery(_count, _category);
        return v1;
    }

    public sealed record RecommendationsResponse(string UserId, string RecommendationId, RecommendedItem[] Items);

    public sealed record SimilarResponse(string ItemId, RecommendedItem[] Items);

    public sealed record PopularResponse(RecommendedItem[] Items);

    private static async Task<Results<Ok<RecommendationsResponse>, ValidationProblem>> ForUserAsync(
        string userId, HttpRequest http, RecommendationService recommender, IOptions<RankingOptions> ranking)
    {
        var defaults = ranking.Value;
        var query = new QueryReader(http, new ValidationErrors());
        Problems.CheckId(query.Errors, "userId", userId);
        var request = new RecommendationRequest(
            Count: query.Int(_count),
            SessionId: query.Id(_sessionId),
            Category: query.Label(_category),
            Exclude: query.IdList(_exclude),
            ExcludeSeen: query.Bool(_excludeSeen),
            Explore: query.Number(_explore, defaults.Explore),
            Diversity: query.Number(_diversity, defaults.Diversity),
            PopularityPenalty: query.Number(_popularityPenalty, defaults.PopularityPenalty));
        var goal = query.Choice(_goal);
        var targetSuccess = query.Number(_targetSuccess);
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        var items = goal == PracticeGoal ? recommender.PracticeAsync(userId, targetSuccess, request.Count, request.Exclude) : recommender.ForUserAsync(userId, request);
        return TypedResults.Ok(new RecommendationsResponse(userId, GeneratedIds.Next(), await items));
    }

    private static async Task<Results<Ok<SimilarResponse>, ValidationProblem, ProblemHttpResult>> SimilarAsync(
        string itemId, HttpRequest http, RecommendationService recommender)
    {
        var query = new QueryReader(http, new ValidationErrors());
        Problems.CheckId(query.Errors, "itemId", itemId);
        var count = query.Int(_count);
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        var items = await recommender.SimilarAsync(itemId, count);
        return items is null ? Problems.ItemNotFound(itemId) : TypedResults.Ok(new SimilarResponse(itemId, items));
    }

    private static async Task<Results<Ok<PopularResponse>, ValidationProblem>> PopularAsync(HttpRequest http, RecommendationService recommender)
    {
        var query = new QueryReader(http, new ValidationErrors());
        var count = query.Int(_count);
        var category = query.Label(_category);
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        return TypedResults.Ok(new PopularResponse(await recommender.PopularAsync(count, category)));
    }
}
