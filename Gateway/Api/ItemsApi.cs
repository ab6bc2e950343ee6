using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Personalization.Gateway.Auth;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;
using Personalization.Services;

namespace Personalization.Gateway.Api;

public static class ItemsApi
{
    public const int MaxBatch = 1000;

    /// <summary>Bulk import: a whole catalog in one request (newline-delimited JSON), up to these limits.</summary>
    public const int MaxImport = 2_000_000;
    public const long MaxImportBytes = 512L << 20;

    /// <summary>
    /// Lines of an import parsed together: the first pass validates them, the second sends them to the shards (each
    /// shard writes the item pages a call changed once per call).
    /// </summary>
    public const int ImportBatch = 131_072;
    public const int MaxCategories = 32;
    public const int MaxTags = 64;
    public const int MaxSkills = 16;

    /// <summary>Bound of a difficulty prior (logit scale): beyond it an exercise is all but always right or wrong.</summary>
    public const double MaxDifficulty = 10;

    /// <summary>The largest page of a catalog listing.</summary>
    public const int MaxPage = 100;

    private static readonly QueryParameter _listCategory = QueryParameter.Label("category", "Only items of this category (one, exact).");
    private static readonly QueryParameter _search = QueryParameter.Label("search", "Only items whose id contains this text, ignoring case.");
    private static readonly QueryParameter _after = QueryParameter.Id("after", "The page after this item id (the previous page's 'next'); default: the first page.");
    private static readonly QueryParameter _pageSize = QueryParameter.Integer("count", "How many items a page holds at most.", 1, MaxPage, 20);

    public static RouteGroupBuilder MapItemsApi(this RouteGroupBuilder v1)
    {
        var items = v1.MapGroup("/items").WithTags("Items");
        items.MapGet("/", ListAsync).WithName("ListItems").RequireApiRole(ApiRole.Read)
            .WithSummary("List and search the catalog").WithDescription("Items in id order, active or not, a page at a time.")
            .WithQuery(_listCategory, _search, _after, _pageSize);
        items.MapPost("/", UpsertAsync).WithName("UpsertItems").RequireApiRole(ApiRole.Ingest)
            .WithSummary("Upsert items").AcceptsBatch<ItemBody>(MaxBatch);
        items.MapPost("/import", ImportAsync).WithName("ImportItems").RequireApiRole(ApiRole.Ingest).RequireRateLimiting(RateLimits.ImportPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
            .WithSummary("Import a catalog").AcceptsLines<ItemBody>(MaxImport, MaxImportBytes);
        items.MapGet("/{itemId}", GetAsync).WithName("GetItem").RequireApiRole(ApiRole.Read)
            .WithSummary("Get an item").ProducesProblem(StatusCodes.Status404NotFound);
        items.MapDelete("/{itemId}", DeleteAsync).WithName("DeactivateItem").RequireApiRole(ApiRole.Ingest)
            .WithSummary("Deactivate an item").WithDescription("A soft delete: the item is never recommended again until upserted active.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    public sealed record UpsertResponse(int Upserted);

    /// <summary>A page of the catalog; <c>next</c> is the <c>after</c> of the next page, null on the last one.</summary>
    public sealed record ItemListResponse(ItemResponse[] Items, string? Next);

    public sealed record ItemResponse(string Id, string[] Categories, string[] Tags, bool Active, long InteractionCount, string[] Skills, double? Difficulty);

    private static async Task<Results<Ok<UpsertResponse>, ValidationProblem, ProblemHttpResult>> UpsertAsync(
        HttpRequest request, CatalogClient catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadArrayAsync(request, MaxBatch, cancellationToken);
        if (body.IsTooLarge)
        {
            return Problems.TooLarge();
        }

        var upserts = ReadItems(body.Elements ?? [], first: 0, body.Errors);
        if (body.Errors.Any)
        {
            return TypedResults.ValidationProblem(body.Errors.ToDictionary());
        }

        NameRefused(body.Errors, await catalog.RefusedNewItemsAsync(upserts.Select(u => u.Id)), upserts, first: 0);

        if (body.Errors.Any)
        {
            return TypedResults.ValidationProblem(body.Errors.ToDictionary());
        }

        await catalog.UpsertAsync(upserts);
        return TypedResults.Ok(new UpsertResponse(upserts.Count));
    }

    /// <summary>
    /// Upserts a whole catalog: one item object per line (<c>application/x-ndjson</c>), spooled to a temporary file. A
    /// first pass validates every line before anything is applied; a second parses the lines again and sends them a
    /// batch at a time.
    /// </summary>
    private static async Task<Results<Ok<UpsertResponse>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, CatalogClient catalog, CancellationToken cancellationToken)
    {
        // How many imports run at once is the rate limiter's import policy (RateLimits.ImportPolicy).
        await using var lines = await JsonBody.SpoolLinesAsync(request, MaxImportBytes, cancellationToken);
        if (lines is null)
        {
            return Problems.TooLarge(MaxImportBytes);
        }

        var room = await catalog.ImportRoomAsync();
        var errors = await ValidateAsync(lines, room, cancellationToken);
        if (!errors.Any && room.MayOverflow)
        {
            lines.Rewind();
            errors = await RefusedAsync(lines, room, cancellationToken);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        lines.Rewind();
        await catalog.ImportAsync(BatchesAsync(lines, errors, cancellationToken));
        return TypedResults.Ok(new UpsertResponse(lines.Read));
    }

    /// <summary>The first pass over an import: every line parsed and checked, its id counted against its shard's room, nothing kept.</summary>
    private static async Task<ValidationErrors> ValidateAsync(JsonLines lines, ImportRoom room, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        for (var batch = await lines.NextAsync(ImportBatch, errors, cancellationToken);
             batch.Count > 0 && lines.Read <= MaxImport;
             batch = await lines.NextAsync(ImportBatch, errors, cancellationToken))
        {
            room.Count(ReadItems(batch, first: lines.Read - batch.Count, errors).Select(item => item.Id));
        }

        if (lines.Read > MaxImport || (lines.Read == 0 && !errors.Any))
        {
            errors.Add(JsonBody.RootKey, $"The body must hold 1 to {MaxImport} JSON values, one per line.");
        }

        return errors;
    }

    /// <summary>Only when the catalog is near its cap, a pass that names the lines whose new items it would refuse.</summary>
    private static async Task<ValidationErrors> RefusedAsync(JsonLines lines, ImportRoom room, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var first = 0;
        await foreach (var items in BatchesAsync(lines, errors, cancellationToken))
        {
            // Every line passed the first pass: the batch holds an item per line.
            NameRefused(errors, await room.RefusedAsync(items.Select(item => item.Id)), items, first);

            first += items.Count;
        }

        return errors;
    }

    /// <summary>Names each item of <paramref name="items"/> (line <paramref name="first"/> on) the full catalog refused.</summary>
    private static void NameRefused(ValidationErrors errors, HashSet<string> refused, IReadOnlyList<ItemUpsert> items, int first)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (refused.Contains(items[i].Id))
            {
                Problems.CatalogFull(errors, $"[{first + i}].id", items[i].Id);
            }
        }
    }

    /// <summary>The second pass: the lines parsed again, a batch at a time, as the catalog takes them.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<ItemUpsert>> BatchesAsync(
        JsonLines lines, ValidationErrors errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var batch = await lines.NextAsync(ImportBatch, errors, cancellationToken); batch.Count > 0;
             batch = await lines.NextAsync(ImportBatch, errors, cancellationToken))
        {
            yield return ReadItems(batch, first: lines.Read - batch.Count, errors);
        }
    }

    /// <summary>The valid items of <paramref name="elements"/>; each bad one is reported under its index from <paramref name="first"/>.</summary>
    private static List<ItemUpsert> ReadItems(IReadOnlyList<JsonElement> elements, int first, ValidationErrors errors)
    {
        var upserts = new List<ItemUpsert>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            if (JsonObjectReader.For(elements[i], $"[{first + i}]", errors) is not { } fields)
            {
                continue;
            }

            var id = fields.Id("id", required: true);
            var categories = fields.Labels("categories", MaxCategories);
            var tags = fields.Labels("tags", MaxTags);
            var active = fields.Bool("active");
            var skills = fields.IdArray("skills", MaxSkills);
            var difficulty = fields.Number("difficulty");
            if (difficulty is < -MaxDifficulty or > MaxDifficulty)
            {
                fields.Error("difficulty", $"'difficulty' must be between -{MaxDifficulty} and {MaxDifficulty} (a logit; 0 is average).");
            }

            if (id is not null)
            {
                upserts.Add(new ItemUpsert(id, categories ?? [], tags ?? [], active ?? true, skills ?? [], difficulty));
            }
        }

        return upserts;
    }

    private static async Task<Results<Ok<ItemListResponse>, ValidationProblem>> ListAsync(HttpRequest http, CatalogClient catalog)
    {
        var query = new QueryReader(http, new ValidationErrors());
        var page = new ItemListQuery(query.Label(_listCategory), query.Label(_search), query.Id(_after), query.Int(_pageSize));
        if (query.Errors.Any)
        {
            return TypedResults.ValidationProblem(query.Errors.ToDictionary());
        }

        var items = await catalog.ListAsync(page);
        return TypedResults.Ok(new ItemListResponse([.. items.Select(Response)], items.Length == page.Count ? items[^1].Id : null));
    }

    private static ItemResponse Response(ItemDetails item) =>
        new(item.Id, item.Categories, item.Tags, item.Active, item.InteractionCount, item.Skills, item.Difficulty);

    private static async Task<Results<Ok<ItemResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string itemId, CatalogClient catalog)
    {
        if (Problems.InvalidId("itemId", itemId) is { } invalid)
        {
            return invalid;
        }

        var item = await catalog.GetAsync(itemId);
        return item is null
            ? Problems.ItemNotFound(itemId)
            : TypedResults.Ok(Response(item));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string itemId, CatalogClient catalog)
    {
        if (Problems.InvalidId("itemId", itemId) is { } invalid)
        {
            return invalid;
        }

        var found = await catalog.DeactivateAsync(itemId);
        return found ? TypedResults.NoContent() : Problems.ItemNotFound(itemId);
    }
}
