using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Bench.Data;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Services;
using Personalization.Silo.Hosting;

namespace Personalization.Bench.Eval;

/// <summary>
/// The real grain code in an in-process silo, asked through the services the gateway uses (called directly, without the
/// gateway's resilience policy). Grain state is kept in memory: the evaluation measures learning, not durability.
/// </summary>
public sealed class InProcessTarget : IRecommenderTarget
{
    /// <summary>Consecutive events of one user go to the grain in one call, as one HTTP batch would.</summary>
    private const int MaxBatch = 1000;

    private readonly IHost _host;
    private readonly RecommendationService _recommendations;
    private readonly RankingOptions _ranking;

    private InProcessTarget(IHost host)
    {
        _host = host;
        _recommendations = host.Services.GetRequiredService<RecommendationService>();
        _ranking = host.Services.GetRequiredService<IOptions<RankingOptions>>().Value;
        Catalog = host.Services.GetRequiredService<CatalogClient>();
        Ingest = host.Services.GetRequiredService<IngestService>();
        Learners = host.Services.GetRequiredService<LearnerService>();
    }

    public int MaxCount => int.MaxValue;

    public CatalogClient Catalog { get; }

    public IngestService Ingest { get; }

    public LearnerService Learners { get; }

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
        builder.Services.AddSingleton(new Random(seed));
        builder.Services.AddPersonalizationServices();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Pick(), FreePort.Pick())
            .AddEphemeralStore());
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessTarget(host);
    }

    public Task UpsertItemsAsync(IReadOnlyList<string> items, IReadOnlyDictionary<string, string[]> categories) =>
        Catalog.UpsertAsync([.. items.Select(id => new ItemUpsert(id, categories.GetValueOrDefault(id) ?? [], [], true, [], null))]);

    public async Task RecordAsync(IReadOnlyList<Interaction> ratings)
    {
        for (var start = 0; start < ratings.Count;)
        {
            var end = start + 1;
            while (end < ratings.Count && end - start < MaxBatch && ratings[end].UserId == ratings[start].UserId)
            {
                end++;
            }

            await Ingest.RecordAsync([.. ratings.Skip(start).Take(end - start).Select(rating => (rating.UserId, ToEvent(rating)))]);
            start = end;
        }
    }

    public async Task<IReadOnlyList<string>> RecommendAsync(string userId, int count, DateTimeOffset asOf)
    {
        var request = new RecommendationRequest(
            count, SessionId: null, Category: null, Exclude: [], ExcludeSeen: true, _ranking.Explore, _ranking.Diversity, _ranking.PopularityPenalty);
        var items = await _recommendations.ForUserAsync(userId, request, asOf);
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
