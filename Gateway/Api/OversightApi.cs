using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.Recommending;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Gateway.Api;

/// <summary>Bias oversight: how exposure is spread over the catalog in the recent window of served recommendations.</summary>
public static class OversightApi
{
    public static RouteGroupBuilder MapOversightApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/oversight", GetAsync).WithTags("Oversight").RequireApiRole(ApiRole.Admin)
            .WithSummary("Exposure across the catalog in the recent window");
        return v1;
    }

    public sealed record WindowResponse(DateTimeOffset From, DateTimeOffset To, long ServedLists, long Exposures);

    public sealed record OversightResponse(
        WindowResponse Window,
        double Coverage,
        double GiniExposure,
        double PopularityBias,
        double RecommendedPopularityPercentile,
        double InteractedPopularityPercentile,
        Dictionary<string, CategoryExposure> CategoryExposure);

    /// <summary>Merges every exposure partition, then asks each catalog shard for its side of the figures.</summary>
    private static async Task<Ok<OversightResponse>> GetAsync(
        IGrainFactory grains,
        IGrainCallPolicy policy,
        ExposureReporter exposureReporter,
        IOptions<CatalogOptions> catalog,
        IOptions<OversightOptions> oversight,
        TimeProvider clock)
    {
        await exposureReporter.FlushAsync();
        var asOf = clock.GetUtcNow();
        var windows = await policy.CallEachAsync(
            [.. Enumerable.Range(0, oversight.Value.Partitions)], partition => grains.ExposurePartition(partition).GetExposuresAsync(asOf));
        var exposures = windows.SelectMany(w => w.Exposures)
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value), StringComparer.Ordinal);
        var exposedByShard = exposures.Keys.ToLookup(catalog.Value.ShardOf);
        var summaries = await policy.CallEachAsync(
            CatalogFanOut.Shards(catalog.Value), shard => grains.Shard(shard).GetSummaryAsync([.. exposedByShard[shard]], asOf));

        // Items deleted since they were served are no longer part of the catalog the figures describe.
        var exposed = summaries.SelectMany(s => s.Items)
            .Select(i => new ExposedItem(i.ItemId, i.Categories, i.Popularity, exposures[i.ItemId]))
            .ToList();
        var categoryCounts = summaries.SelectMany(s => s.CategoryCounts)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);
        var report = OversightMetrics.Compute(exposed, [.. summaries.SelectMany(s => s.Popularity)], categoryCounts);
        return TypedResults.Ok(new OversightResponse(
            new WindowResponse(asOf - oversight.Value.Window, asOf, windows.Sum(w => w.ServedLists), exposures.Values.Sum()),
            report.Coverage,
            report.GiniExposure,
            report.PopularityBias,
            report.RecommendedPopularityPercentile,
            report.InteractedPopularityPercentile,
            new Dictionary<string, CategoryExposure>(report.Categories)));
    }
}
