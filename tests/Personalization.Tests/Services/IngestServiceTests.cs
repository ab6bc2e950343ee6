using Microsoft.Extensions.DependencyInjection;
using Personalization.Interfaces;
using Personalization.Services;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Services;

[Collection(SqliteClusterCollection.Name)]
public sealed class IngestServiceTests(SqliteClusterFixture fixture) : IDisposable
{
    private readonly ServiceProvider _services = ClientServices.For(fixture.Grains);

    [Fact]
    public async Task An_answer_to_an_item_without_skills_rejects_the_whole_batch()
    {
        var key = Guid.NewGuid().ToString("N");
        var (user, clicked, plain) = ($"user-{key}", $"clicked-{key}", $"plain-{key}");
        var catalog = _services.GetRequiredService<CatalogClient>();
        await catalog.UpsertAsync([new ItemUpsert(plain, [], [], true, [], null)]);

        var result = await _services.GetRequiredService<IngestService>().IngestAsync(
        [
            (user, new UserEvent($"{key}-1", clicked, "click", null, null, DateTimeOffset.UtcNow)),
            (user, new UserEvent($"{key}-2", plain, "answer", 1, null, DateTimeOffset.UtcNow)),
        ]);

        Assert.Null(result.Recorded);
        Assert.Equal([1], result.NotExercises);
        Assert.Null(await catalog.GetAsync(clicked));
        Assert.Equal(0, (await _services.GetRequiredService<PrivacyService>().GetProfileAsync(user)).InteractionCount);
    }

    [Fact]
    public async Task A_batch_without_answers_is_recorded()
    {
        var key = Guid.NewGuid().ToString("N");
        var click = new UserEvent($"{key}-1", $"item-{key}", "click", null, null, DateTimeOffset.UtcNow);

        var result = await _services.GetRequiredService<IngestService>().IngestAsync([($"user-{key}", click), ($"user-{key}", click)]);

        Assert.Equal(new RecordResult(1, 1), result.Recorded);
        Assert.Empty(result.NotExercises);
    }

    public void Dispose() => _services.Dispose();
}
