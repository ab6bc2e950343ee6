using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Personalization.Grains.Telemetry;

/// <summary>
/// The silo's own instruments (meter <see cref="MeterName"/>): active user grains, items and write-behind lag per catalog
/// shard, and the journal's group commits. Grains report into it; the gauges are read only when a scrape asks.
/// </summary>
public sealed class SiloMetrics
{
    public const string MeterName = "Personalization.Silo";

    private readonly ConcurrentDictionary<long, IShardGauges> _shards = new();
    private readonly UpDownCounter<long> _activeUsers;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitSize;
    private long _users;

    public SiloMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _activeUsers = meter.CreateUpDownCounter<long>("personalization.users.active", "{grain}", "User grains active on this silo");
        _commitDuration = meter.CreateHistogram<double>("personalization.journal.commit.duration", "s", "Time of one journal group commit (one transaction)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _commitSize = meter.CreateHistogram<int>("personalization.journal.commit.size", "{write}", "Appends and truncations committed in one journal transaction",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] });
        meter.CreateObservableGauge("personalization.catalog.items", () => Observe(s => s.Items), "{item}", "Items of each catalog shard active on this silo");
        meter.CreateObservableGauge("personalization.catalog.write_behind.lag", () => Observe(s => s.WriteBehindLag.TotalSeconds), "s",
            "Age of the oldest learned-state change of each shard not yet handed to storage");
    }

    /// <summary>What a catalog shard reports while it is active on this silo.</summary>
    public interface IShardGauges
    {
        int Items { get; }

        TimeSpan WriteBehindLag { get; }
    }

    /// <summary>User grains active on this silo now.</summary>
    public long ActiveUsers => Interlocked.Read(ref _users);

    public void UserActivated()
    {
        Interlocked.Increment(ref _users);
        _activeUsers.Add(1);
    }

    public void UserDeactivated()
    {
        Interlocked.Decrement(ref _users);
        _activeUsers.Add(-1);
    }

    public void ShardActivated(long shard, IShardGauges gauges) => _shards[shard] = gauges;

    public void ShardDeactivated(long shard) => _shards.TryRemove(shard, out _);

    public void JournalCommitted(int writes, TimeSpan duration)
    {
        _commitSize.Record(writes);
        _commitDuration.Record(duration.TotalSeconds);
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<IShardGauges, T> value)
        where T : struct =>
        _shards.Select(s => new Measurement<T>(value(s.Value), new KeyValuePair<string, object?>("shard", s.Key)));
}
