using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.Validation;
using Personalization.Interfaces;

namespace Personalization.Gateway.Api;

public static class ItemsApi
{
    public const int MaxBatch = 1000;

    /// <summary>Bulk import: a whole catalog in one request (newline-delimited JSON), up to these limits.</summary>
    public const int MaxImport = 2_000_000;
    public const long MaxImportBytes = 512L << 20;

    /// <summary>Items per call to one shard during an import: each call writes the item pages it changed once.</summary>
    private const int ImportChunk = 100_000;
    public const int MaxCategories = 32;
    public const int MaxTags = 64;
    public const int MaxSkills = 16;

    /// <summary>Bound of a difficulty prior (logit scale): beyond it an exercise is all but always right or wrong.</summary>
    public const double MaxDifficulty = 10;

    public static RouteGroupBuilder MapItemsApi(this RouteGroupBuilder v1)
    {
        var items = v1.MapGroup("/items").WithTags("Items");
        items.MapPost("/", UpsertAsync).RequireApiRole(ApiRole.Ingest);
        items.MapPost("/import", ImportAsync).RequireApiRole(ApiRole.Ingest)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));
        items.MapGet("/{itemId}", GetAsync).RequireApiRole(ApiRole.Read);
        items.MapDelete("/{itemId}", DeleteAsync).RequireApiRole(ApiRole.Ingest);
        return v1;
    }

    public sealed record UpsertResponse(int Upserted);

    public sealed record ItemResponse(string Id, string[] Categories, string[] Tags, bool Active, long InteractionCount, string[] Skills, double? Difficulty);

    private static async Task<Results<Ok<UpsertResponse>, ValidationProblem, ProblemHttpResult>> UpsertAsync(
        HttpRequest request, IGrainFactory grains, IGrainCallPolicy policy, IOptions<CatalogOptions> catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadArrayAsync(request, MaxBatch, cancellationToken);
        if (body.IsTooLarge)
        {
            return Problems.TooLarge();
        }

        return await ApplyAsync(body, MaxBatch, grains, policy, catalog.Value);
    }

    /// <summary>
    /// Upserts a whole catalog: one item object per line (<c>application/x-ndjson</c>), validated as a whole before
    /// anything is applied, then sent to each shard in large chunks (a shard writes the item pages a chunk changed
    /// once per chunk).
    /// </summary>
    private static async Task<Results<Ok<UpsertResponse>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, IGrainFactory grains, IGrainCallPolicy policy, IOptions<CatalogOptions> catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadLinesAsync(request, MaxImportBytes, MaxImport, cancellationToken);
        if (body.IsTooLarge)
        {
            return Problems.TooLarge(MaxImportBytes);
        }

        return await ApplyAsync(body, ImportChunk, grains, policy, catalog.Value);
    }

    private static async Task<Results<Ok<UpsertResponse>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        BodyResult body, int chunk, IGrainFactory grains, IGrainCallPolicy policy, CatalogOptions catalog)
    {
        var errors = body.Errors;
        var upserts = new List<ItemUpsert>();
        for (var i = 0; body.Elements is not null && i < body.Elements.Length; i++)
        {
            if (JsonObjectReader.For(body.Elements[i], $"[{i}]", errors) is not { } fields)
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

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Shards work in parallel; the chunks of one shard go one after the other.
        await Task.WhenAll(upserts
            .GroupBy(item => catalog.ShardOf(item.Id))
            .Select(async shard =>
            {
                foreach (var part in shard.Chunk(chunk))
                {
                    await policy.CallAsync(() => grains.Shard(shard.Key).UpsertItemsAsync(part));
                }
            }));
        return TypedResults.Ok(new UpsertResponse(upserts.Count));
    }

    private static async Task<Results<Ok<ItemResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string itemId, IGrainFactory grains, IGrainCallPolicy policy, IOptions<CatalogOptions> catalog)
    {
        if (Problems.InvalidId("itemId", itemId) is { } invalid)
        {
            return invalid;
        }

        var item = await policy.CallAsync(() => grains.Shard(catalog.Value.ShardOf(itemId)).GetItemAsync(itemId));
        return item is null
            ? Problems.ItemNotFound(itemId)
            : TypedResults.Ok(new ItemResponse(item.Id, item.Categories, item.Tags, item.Active, item.InteractionCount, item.Skills, item.Difficulty));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string itemId, IGrainFactory grains, IGrainCallPolicy policy, IOptions<CatalogOptions> catalog)
    {
        if (Problems.InvalidId("itemId", itemId) is { } invalid)
        {
            return invalid;
        }

        var found = await policy.CallAsync(() => grains.Shard(catalog.Value.ShardOf(itemId)).DeactivateItemAsync(itemId));
        return found ? TypedResults.NoContent() : Problems.ItemNotFound(itemId);
    }
}
