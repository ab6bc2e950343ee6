using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Gateway.Api;

public static class EventsApi
{
    public const int MaxBatch = 1000;

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/events", IngestAsync).WithTags("Events").RequireApiRole(ApiRole.Ingest)
            .WithSummary("Record events").WithDescription("Answers once every event is durable; nothing of a rejected batch is applied.")
            .AcceptsBatch<EventBody>(MaxBatch);
        return v1;
    }

    public sealed record IngestResponse(int Accepted, int Duplicates);

    /// <summary>
    /// Validates the whole batch first (nothing of a rejected batch is applied), assigns missing event ids, then hands
    /// each user's events to that user's grain. A 200 means every event is durable.
    /// </summary>
    private static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpRequest request,
        IGrainFactory grains,
        IGrainCallPolicy policy,
        IOptions<CatalogOptions> catalog,
        IOptions<LearningOptions> learning,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadArrayAsync(request, MaxBatch, cancellationToken);
        if (body.IsTooLarge)
        {
            return Problems.TooLarge();
        }

        var errors = body.Errors;
        var now = clock.GetUtcNow();
        var events = new List<(string UserId, UserEvent Event)>();
        var answers = new List<(int Index, string ItemId)>();
        for (var i = 0; body.Elements is not null && i < body.Elements.Length; i++)
        {
            if (JsonObjectReader.For(body.Elements[i], $"[{i}]", errors) is { } fields && Read(fields, now) is { } parsed)
            {
                events.Add(parsed);
                if (parsed.Event.Type == EventSignal.Answer)
                {
                    answers.Add((i, parsed.Event.ItemId));
                }
            }
        }

        if (!errors.Any && answers.Count > 0)
        {
            await CheckExercisesAsync(answers, grains, policy, catalog.Value, errors);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await grains.RecordEventsAsync(events, catalog.Value, learning.Value, policy);
        return TypedResults.Ok(new IngestResponse(result.Accepted, result.Duplicates));
    }

    /// <summary>An answer needs an exercise: an item known to have skills (the check reads only, so nothing is applied).</summary>
    private static async Task CheckExercisesAsync(
        List<(int Index, string ItemId)> answers, IGrainFactory grains, IGrainCallPolicy policy, CatalogOptions catalog, ValidationErrors errors)
    {
        var items = await policy.CallEachAsync(
            [.. answers.Select(a => a.ItemId).Distinct(StringComparer.Ordinal).GroupBy(catalog.ShardOf)],
            shard => grains.Shard(shard.Key).GetItemsAsync([.. shard]));
        var exercises = items.SelectMany(i => i).Where(i => i.Skills.Length > 0).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (index, itemId) in answers.Where(a => !exercises.Contains(a.ItemId)))
        {
            errors.Add($"[{index}].itemId", $"'{itemId}' is not an exercise: an answer needs an item upserted with skills.");
        }
    }

    private static (string UserId, UserEvent Event)? Read(JsonObjectReader fields, DateTimeOffset now)
    {
        var eventId = fields.Id("eventId", required: false);
        var userId = fields.Id("userId", required: true);
        var itemId = fields.Id("itemId", required: true);
        var sessionId = fields.Id("sessionId", required: false);
        fields.Id("recommendationId", required: false);
        var timestamp = fields.Timestamp("timestamp");
        var value = fields.Number("value");
        var type = fields.String("type", required: true);
        if (type is not null)
        {
            CheckType(fields, type, value);
        }

        if (!fields.IsValid || userId is null || itemId is null || type is null)
        {
            return null;
        }

        // The id is fixed here, before any retry, so a retried call can never count the event twice.
        return (userId, new UserEvent(eventId ?? Guid.NewGuid().ToString("N"), itemId, type, value, sessionId, timestamp ?? now));
    }

    private static void CheckType(JsonObjectReader fields, string type, double? value)
    {
        if (!EventSignal.IsKnown(type))
        {
            fields.Error("type", $"Unknown event type '{type}'; use one of: {string.Join(", ", EventSignal.Types)}.");
        }
        else if (!EventSignal.RequiresValue(type) && !fields.IsMissing("value"))
        {
            fields.Error("value", $"'{type}' events take no 'value'.");
        }
        else if (EventSignal.RequiresValue(type) && fields.IsMissing("value"))
        {
            fields.Error("value", $"'value' is required for '{type}' events.");
        }
        else if (EventSignal.RequiresValue(type) && EventSignal.ValueRange(type) is var (min, max) && value is { } v && (v < min || v > max))
        {
            fields.Error("value", $"The value of '{type}' must be between {min} and {max}.");
        }
    }
}
