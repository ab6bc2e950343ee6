using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Services;

/// <summary>The oversight figures over a window of served lists, and the window itself.</summary>
public sealed record OversightReport(DateTimeOffset From, DateTimeOffset To, long ServedLists, long Exposures, ExposureReport Figures);

/// <summary>Bias oversight: how exposure is spread over the catalog in the recent window of served recommendations.</summary>
public sealed class OversightService(
    IGrainFactory grains,
    IGrainCallPolicy policy,
    CatalogClient catalog,
    ExposureReporter exposureReporter,
    IOptions<OversightOptions> options,
    TimeProvider clock)
{
    private readonly OversightOptions _oversight = options.Value;

    /// <summary>
    /// This gateway's lists sent first, then every exposure partition merged, then each catalog shard asked for its
    /// side of the figures.
    /// </summary>
    public async Task<OversightReport> ReportAsync()
    {
        await exposureReporter.FlushAsync();
        var asOf = clock.GetUtcNow();
        var windows = await policy.CallEachAsync(
            [.. Enumerable.Range(0, _oversight.Partitions)], partition => grains.ExposurePartition(partition).GetExposuresAsync(asOf));
        var exposures = windows.SelectMany(w => w.Exposures)
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value), StringComparer.Ordinal);
        var summaries = await catalog.SummariesAsync(exposures.Keys, asOf);

        // Items deleted since they were served are no longer part of the catalog the figures describe.
        var exposed = summaries.SelectMany(s => s.Items)
            .Select(i => new ExposedItem(i.ItemId, i.Categories, i.Popularity, exposures[i.ItemId]))
            .ToList();
        var categoryCounts = summaries.SelectMany(s => s.CategoryCounts)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);
        var figures = OversightMetrics.Compute(exposed, [.. summaries.SelectMany(s => s.Popularity)], categoryCounts);
        return new OversightReport(asOf - _oversight.Window, asOf, windows.Sum(w => w.ServedLists), exposures.Values.Sum(), figures);
    }
}
