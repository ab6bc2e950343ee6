using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Services;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>Served lists reach the exposure partitions on their own, without an oversight report asking for them.</summary>
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
}
