using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Telemetry;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Services;

namespace Personalization.Gateway.Api;

public static class EventsApi
{
    public const int MaxBatch = 1000;

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/events", IngestAsync).WithName("RecordEvents").WithTags("Events").RequireApiRole(ApiRole.Ingest).AllowUserTokenForOwnEvents()
            .WithSummary("Record events").WithDescription("Answers once every event is durable; nothing of a rejected batch is applied.")
            .AcceptsBatch<EventBody>(MaxBatch);
        return v1;
    }

    public sealed record IngestResponse(int Accepted, int Duplicates);

    /// <summary>
    /// Validates the whole batch first (nothing of a rejected batch is applied), assigns missing event ids, then hands
    /// the batch to ingest. A 200 means every event is durable. Each event is counted once by its outcome (every event of
    /// a refused batch as rejected; a body too large to read has none to count).
    /// </summary>
    private static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpRequest request, IngestService ingest, TimeProvider clock, IOptions<EventsOptions> options, GatewayMetrics metrics, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadArrayAsync(request, MaxBatch, cancellationToken);
        if (body.IsTooLarge)
        {
            return Problems.TooLarge();
        }

        var errors = body.Errors;
        var events = ReadAll(body.Elements ?? [], clock.GetUtcNow(), options.Value.MaxClockSkew, errors);
        if (errors.Any)
        {
            metrics.Events(EventOutcome.Rejected, body.Elements?.Length ?? 0);
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await ingest.IngestAsync(events);
        foreach (var index in result.NotExercises)
        {
            errors.Add($"[{index}].itemId", $"'{events[index].Event.ItemId}' is not an exercise: an answer needs an item upserted with skills.");
        }

        foreach (var index in result.CatalogFull)
        {
            Problems.CatalogFull(errors, $"[{index}].itemId", events[index].Event.ItemId);
        }

        if (result.Recorded is not { } recorded)
        {
            metrics.Events(EventOutcome.Rejected, events.Count);
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        metrics.Events(EventOutcome.Accepted, recorded.Accepted);
        metrics.Events(EventOutcome.Duplicate, recorded.Duplicates);
        return TypedResults.Ok(new IngestResponse(recorded.Accepted, recorded.Duplicates));
    }

    /// <summary>The valid events of the batch; each bad one is reported under its index.</summary>
    private static List<(string UserId, UserEvent Event)> ReadAll(JsonElement[] elements, DateTimeOffset now, TimeSpan skew, ValidationErrors errors)
    {
        var events = new List<(string UserId, UserEvent Event)>();
        for (var i = 0; i < elements.Length; i++)
        {
            if (JsonObjectReader.For(elements[i], $"[{i}]", errors) is { } fields && Read(fields, now, skew) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return events;
    }

    private static (string UserId, UserEvent Event)? Read(JsonObjectReader fields, DateTimeOffset now, TimeSpan skew)
    {
        var eventId = fields.Id("eventId", required: false);
        var userId = fields.Id("userId", required: true);
        var itemId = fields.Id("itemId", required: true);
        var sessionId = fields.Id("sessionId", required: false);
        fields.Id("recommendationId", required: false);
        var timestamp = fields.Timestamp("timestamp");
        if (timestamp - now > skew)
        {
            fields.Error("timestamp", $"'timestamp' is more than {skew} ahead of the gateway's clock ({now:O}).");
        }

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
        return (userId, new UserEvent(eventId ?? GeneratedIds.Next(), itemId, EventSignal.Shared(type), value, sessionId, timestamp ?? now));
    }

    private static void CheckType(JsonObjectReader fields, string type, double? value)
    {
        if (!EventSignal.IsKnown(type))
        {
            // An unknown type is not echoed whole: an answer stays small whatever was sent.
            fields.Error("type", $"Unknown event type '{(type.Length > 32 ? type[..32] + "..." : type)}'; use one of: {string.Join(", ", EventSignal.Types)}.");
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
