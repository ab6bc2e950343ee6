using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Bench.Data;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Silo.Hosting;

namespace Personalization.Bench.Eval;

/// <summary>
/// The real grain code in an in-process silo, asked the way the gateway asks it (user query, fan-out to the shards,
/// merge). Grain state is kept in memory: the evaluation measures learning, not durability.
/// </summary>
public sealed class InProcessTarget : IRecommenderTarget
{
    /// <summary>Consecutive events of one user go to the grain in one call, as one HTTP batch would.</summary>
    private const int MaxBatch = 1000;

    private readonly IHost _host;
    private readonly IGrainFactory _grains;
    private readonly CatalogOptions _catalog;
    private readonly LearningOptions _learning;
    private readonly RankingOptions _ranking;
    private readonly Random _random;
    private readonly ExposureLedger _exposure = new();

    private InProcessTarget(IHost host, RankingOptions ranking, int seed)
    {
        _host = host;
        _ranking = ranking;
        _random = new Random(seed);
        _grains = host.Services.GetRequiredService<IGrainFactory>();
        _catalog = host.Services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        _learning = host.Services.GetRequiredService<IOptions<LearningOptions>>().Value;
    }

    public int MaxCount => int.MaxValue;

    public IGrainFactory Grains => _grains;

    public CatalogOptions Catalog => _catalog;

    public LearningOptions Learning => _learning;

    /// <param name="settings">
    /// Configuration overrides, e.g. <c>Learning:HistoryLength</c>, or <c>Ranking:Diversity</c> for the re-ranking
    /// controls every list of the run is asked with.
    /// </param>
    /// <param name="seed">Seeds the exploration slots.</param>
    public static async Task<InProcessTarget> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, int seed)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        // The state is thrown away at the end of a run: the shards' write-behind flush into the memory store, already
        // stopped, fails then. A failure during the run surfaces as an exception of the call, so the runtime's log is muted.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Polly", LogLevel.None).AddFilter("Orleans", LogLevel.Critical).AddConsole();
        builder.Services.AddPersonalizationModelOptions();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Pick(), FreePort.Pick())
            .AddEphemeralStore());
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessTarget(host, builder.Configuration.GetSection(RankingOptions.SectionName).Get<RankingOptions>() ?? new(), seed);
    }

    public Task UpsertItemsAsync(IReadOnlyList<string> items, IReadOnlyDictionary<string, string[]> categories) =>
        Task.WhenAll(items
            .Select(id => new ItemUpsert(id, categories.GetValueOrDefault(id) ?? [], [], true, [], null))
            .GroupBy(item => _catalog.ShardOf(item.Id))
            .Select(shard => _grains.Shard(shard.Key).UpsertItemsAsync([.. shard])));

    public async Task RecordAsync(IReadOnlyList<Interaction> ratings)
    {
        for (var start = 0; start < ratings.Count;)
        {
            var end = start + 1;
            while (end < ratings.Count && end - start < MaxBatch && ratings[end].UserId == ratings[start].UserId)
            {
                end++;
            }

            await _grains.RecordEventsAsync(
                [.. ratings.Skip(start).Take(end - start).Select(rating => (rating.UserId, ToEvent(rating)))], _catalog, _learning);
            start = end;
        }
    }

    public async Task<IReadOnlyList<string>> RecommendAsync(string userId, int count, DateTimeOffset asOf)
    {
        var request = new RecommendationRequest(
            count, SessionId: null, Category: null, Exclude: [], ExcludeSeen: true, _ranking.Explore, _ranking.Diversity, _ranking.PopularityPenalty);
        var items = await _grains.RecommendForUserAsync(_catalog, userId, request, asOf, _random, _exposure);
        return [.. items.Select(i => i.ItemId)];
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static UserEvent ToEvent(Interaction rating) =>
        new($"r{rating.Index}", rating.ItemId, EventSignal.Rating, rating.Rating, null, rating.Timestamp);
}
