using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Services;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// Served lists reach the exposure partitions on their own, without an oversight report asking for them, and leave the
/// window when it has passed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ExposureReportingTests(GatewayFactory gateway)
{
    [Fact]
    public async Task A_served_list_is_counted_within_a_few_intervals_without_a_report()
    {
        var client = gateway.Client();
        var category = Catalog.NewId("probe-category");
        var item = Catalog.NewId("probe-item");
        await client.PostItemsAsync(new { id = item, categories = new[] { category } });

        Assert.Equal([item], await client.RecommendAsync(Catalog.NewId("viewer"), $"category={category}"));

        var grains = gateway.Services.GetRequiredService<IGrainFactory>();
        var partitions = gateway.Services.GetRequiredService<IOptions<OversightOptions>>().Value.Partitions;
        var deadline = DateTimeOffset.UtcNow + 10 * ExposureReporter.Interval;
        long exposures;
        do
        {
            await Task.Delay(ExposureReporter.Interval / 2);
            var windows = await Task.WhenAll(Enumerable.Range(0, partitions)
                .Select(p => grains.ExposurePartition(p).GetExposuresAsync(DateTimeOffset.UtcNow)));
            exposures = windows.Sum(w => w.Exposures.GetValueOrDefault(item));
        }
        while (exposures == 0 && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(1, exposures);
    }

    [Fact]
    public async Task A_partition_counts_what_was_served_within_the_window_and_forgets_what_left_it()
    {
        var window = gateway.Services.GetRequiredService<IOptions<OversightOptions>>().Value.Window;
        // A partition of its own: no other test's lists reach it.
        var partition = gateway.Services.GetRequiredService<IGrainFactory>().ExposurePartition(Random.Shared.Next(1_000, int.MaxValue));
        var now = DateTimeOffset.UtcNow;
        var (a, b) = (Catalog.NewId("a"), Catalog.NewId("b"));
        await partition.RecordServedAsync([new ServedList([a, a], now - window - TimeSpan.FromMinutes(10))]);
        await partition.RecordServedAsync([new ServedList([a, b], now - window / 2), new ServedList([b], now - window / 2)]);

        var current = await partition.GetExposuresAsync(now);
        Assert.Equal(2, current.ServedLists);
        Assert.Equal(new Dictionary<string, long> { [a] = 1, [b] = 2 }, current.Exposures);

        var later = await partition.GetExposuresAsync(now + window / 2 + TimeSpan.FromMinutes(2));
        Assert.Equal(0, later.ServedLists);
        Assert.Empty(later.Exposures);
        // The earlier answer was a copy, not the partition's own counts.
        Assert.Equal(2, current.Exposures[b]);
    }
}
