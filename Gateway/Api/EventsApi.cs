using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Gateway.Api;

public static class EventsApi
{
    public const int MaxBatch = 1000;

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/events", IngestAsync).WithTags("Events").RequireApiRole(ApiRole.Ingest);
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
        IOptions<LearningSettings> learning,
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
        for (var i = 0; body.Elements is not null && i < body.Elements.Length; i++)
        {
            if (JsonObjectReader.For(body.Elements[i], $"[{i}]", errors) is { } fields && Read(fields, now) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await grains.RecordEventsAsync(events, catalog.Value, learning.Value, policy);
        return TypedResults.Ok(new IngestResponse(result.Accepted, result.Duplicates));
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
        else if (EventSignal.RequiresValue(type) && value is < EventSignal.MinRating or > EventSignal.MaxRating)
        {
            fields.Error("value", $"A rating must be between {EventSignal.MinRating} and {EventSignal.MaxRating}.");
        }
    }
}
