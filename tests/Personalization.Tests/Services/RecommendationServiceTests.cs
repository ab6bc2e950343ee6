using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Services;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Services;

[Collection(SqliteClusterCollection.Name)]
public sealed class RecommendationServiceTests(SqliteClusterFixture fixture) : IDisposable
{
    private readonly ServiceProvider _services = ClientServices.For(fixture.Grains);

    [Fact]
    public async Task Every_served_list_is_reported_for_exposure_once()
    {
        var category = $"served-{Guid.NewGuid():N}";
        var item = $"{category}-item";
        await _services.GetRequiredService<CatalogClient>().UpsertAsync([new ItemUpsert(item, [category], [], true, [], null)]);
        var recommendations = _services.GetRequiredService<RecommendationService>();
        var request = new RecommendationRequest(5, null, category, [], true, 0, 0, 0);

        Assert.Equal([item], (await recommendations.ForUserAsync($"viewer-{category}", request)).Select(i => i.ItemId));
        Assert.Equal([item], (await recommendations.ForUserAsync($"other-{category}", request)).Select(i => i.ItemId));
        await _services.GetRequiredService<ExposureReporter>().FlushAsync();

        Assert.Equal(2, await ExposuresAsync(item));
    }

    public void Dispose() => _services.Dispose();

    private async Task<long> ExposuresAsync(string item)
    {
        var partitions = _services.GetRequiredService<IOptions<OversightOptions>>().Value.Partitions;
        var windows = await Task.WhenAll(Enumerable.Range(0, partitions)
            .Select(p => fixture.Grains.ExposurePartition(p).GetExposuresAsync(DateTimeOffset.UtcNow)));
        return windows.Sum(w => w.Exposures.GetValueOrDefault(item));
    }
}
