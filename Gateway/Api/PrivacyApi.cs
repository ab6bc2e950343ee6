using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Auth;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Services;

namespace Personalization.Gateway.Api;

/// <summary>People's rights over their data: export (GDPR Art. 20), erasure (Art. 17), objection to profiling (Art. 21).</summary>
public static class PrivacyApi
{
    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users/{userId}").WithTags("Privacy");
        users.MapGet("/export", ExportAsync).WithName("ExportUser").RequireApiRole(ApiRole.Admin).Audited(AuditAction.Export).WithSummary("Export everything held about a user");
        users.MapDelete("/", EraseAsync).WithName("EraseUser").RequireApiRole(ApiRole.Admin).Audited(AuditAction.Erase)
            .WithSummary("Erase a user").WithDescription("Every stored trace of the user is removed; afterwards the user is unknown.");
        users.MapPut("/consent", SetConsentAsync).WithName("SetConsent").RequireApiRole(ApiRole.Ingest).Audited(AuditAction.Consent)
            .WithSummary("Set a user's consent to personalization").AcceptsObject<ConsentBody>();
        return v1;
    }

    public sealed record ExportResponse(
        string UserId,
        UsersApi.ConsentResponse Consent,
        long InteractionCount,
        string[] TopCategories,
        DateTimeOffset? LastSeen,
        InteractionResponse[] Interactions,
        SessionResponse[] Sessions,
        string[] RecentItems,
        float[] Vector,
        Dictionary<string, double> CategoryAffinity,
        LearnerResponse Learner);

    public sealed record InteractionResponse(string EventId, string ItemId, string Type, double? Value, string? SessionId, DateTimeOffset Timestamp);

    /// <summary>Learning mode: ability (Elo logit), answers, and the evidence held per skill and per exercise answered.</summary>
    public sealed record LearnerResponse(
        double Ability, double Answers, double Correct, double Wrong, SkillEvidenceResponse[] Skills, ExerciseEvidenceResponse[] Exercises);

    /// <summary>An exercise the learner answered: how many times and the last outcome (0 wrong to 1 right).</summary>
    public sealed record ExerciseEvidenceResponse(string ItemId, int Attempts, double LastAnswer);

    /// <summary>
    /// One skill's evidence as stored: counts (faded by forgetting), the last up-to-three answers (oldest first, 1 right),
    /// moving averages of -1/1 answers at three speeds, the knowledge logit, mean exercise difficulty, and its mastery.
    /// </summary>
    public sealed record SkillEvidenceResponse(
        string Skill, int Attempts, double Correct, double Wrong, int[] LastAnswers, double[] MovingAverages, double Knowledge,
        double Difficulty, DateTimeOffset LastAnswerAt, double Mastery);

    public sealed record SessionResponse(string SessionId, float[] Vector, DateTimeOffset LastEventAt);

    public sealed record ConsentResult(string UserId, UsersApi.ConsentResponse Consent);

    private static async Task<Results<Ok<ExportResponse>, ValidationProblem>> ExportAsync(string userId, PrivacyService privacy)
    {
        if (Problems.InvalidId("userId", userId) is { } invalid)
        {
            return invalid;
        }

        var export = await privacy.ExportAsync(userId);
        return TypedResults.Ok(new ExportResponse(
            userId,
            new UsersApi.ConsentResponse(export.Profile.Personalization),
            export.Profile.InteractionCount,
            export.Profile.TopCategories,
            export.Profile.LastSeen,
            [.. export.Interactions.Select(e => new InteractionResponse(e.EventId, e.ItemId, e.Type, e.Value, e.SessionId, e.Timestamp))],
            [.. export.Sessions.Select(s => new SessionResponse(s.SessionId, s.Vector, s.LastEventAt))],
            export.RecentItems,
            export.Vector,
            export.CategoryAffinity,
            Learner(export.Learner)));
    }

    private static LearnerResponse Learner(LearnerSnapshot snapshot)
    {
        var learner = LearnerEvidence.From(snapshot.Learner);
        return new LearnerResponse(learner.Ability, learner.Answers, learner.Correct, learner.Wrong, [.. snapshot.Skills
            .Select(s => (Skill: s.Key, Evidence: new SkillEvidence(s.Value)))
            .Select(s => new SkillEvidenceResponse(
                s.Skill, s.Evidence.Attempts, s.Evidence.Correct, s.Evidence.Wrong, KnowledgeTracing.LastAnswers(s.Evidence),
                [s.Evidence.Fast, s.Evidence.Medium, s.Evidence.Slow], s.Evidence.Knowledge, s.Evidence.Difficulty,
                DateTimeOffset.FromUnixTimeMilliseconds((long)(s.Evidence.LastAt * 1000)), KnowledgeTracing.Mastery(learner, s.Evidence)))],
            [.. snapshot.Exercises
                .Select(e => (ItemId: e.Key, Evidence: ExerciseEvidence.From(e.Value)))
                .Select(e => new ExerciseEvidenceResponse(e.ItemId, e.Evidence.Attempts, e.Evidence.Last))]);
    }

    private static async Task<Results<NoContent, ValidationProblem>> EraseAsync(string userId, PrivacyService privacy)
    {
        if (Problems.InvalidId("userId", userId) is { } invalid)
        {
            return invalid;
        }

        await privacy.EraseAsync(userId);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ConsentResult>, ValidationProblem, ProblemHttpResult>> SetConsentAsync(
        string userId, HttpRequest request, PrivacyService privacy, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (body.IsTooLarge)
        {
            return Problems.TooLarge();
        }

        var errors = body.Errors;
        Problems.CheckId(errors, "userId", userId);
        bool? personalization = null;
        if (body.Elements is [var root] && JsonObjectReader.For(root, string.Empty, errors) is { } fields)
        {
            personalization = fields.Bool("personalization");
            if (personalization is null && fields.IsValid)
            {
                fields.Error("personalization", "'personalization' (true or false) is required.");
            }
        }

        if (errors.Any || personalization is not { } choice)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await privacy.SetConsentAsync(userId, choice);
        return TypedResults.Ok(new ConsentResult(userId, new UsersApi.ConsentResponse(choice)));
    }
}
