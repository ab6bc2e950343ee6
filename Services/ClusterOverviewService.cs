using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>A silo as the membership table and its activations show it.</summary>
public sealed record SiloOverview(string Address, string Name, string Status, DateTimeOffset StartedAt, int ActiveGrains, Dictionary<string, int> GrainTypes);

/// <summary>A catalog shard and how many active items it holds.</summary>
public sealed record ShardOverview(int Shard, int ActiveItems, int Categories);

public sealed record ClusterOverview(SiloOverview[] Silos, ShardOverview[] Shards);

/// <summary>What an operator sees of the cluster: silos (Orleans' management grain) and catalog shards.</summary>
public sealed class ClusterOverviewService(IGrainFactory grains, IGrainCallPolicy policy, CatalogClient catalog, TimeProvider clock)
{
    public async Task<ClusterOverview> GetAsync()
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await policy.CallAsync(() => management.GetDetailedHosts(onlyActive: false));
        var statistics = await policy.CallAsync(management.GetSimpleGrainStatistics);
        var summaries = await catalog.SummariesAsync([], clock.GetUtcNow());
        var silos = hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(host =>
            {
                var own = statistics.Where(s => s.SiloAddress.Equals(host.SiloAddress)).ToList();
                return new SiloOverview(
                    host.SiloAddress.ToString(),
                    host.SiloName,
                    host.Status.ToString(),
                    host.StartTime,
                    own.Sum(s => s.ActivationCount),
                    own.GroupBy(s => ShortTypeName(s.GrainType)).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount)));
            });
        var shards = summaries.Select((summary, shard) => new ShardOverview(shard, summary.Popularity.Length, summary.CategoryCounts.Count));
        return new ClusterOverview([.. silos], [.. shards]);
    }

    /// <summary>The class name of a grain type as Orleans reports it (namespace and assembly left out).</summary>
    private static string ShortTypeName(string grainType)
    {
        var type = grainType.Split(',')[0];
        return type[(type.LastIndexOf('.') + 1)..];
    }
}
