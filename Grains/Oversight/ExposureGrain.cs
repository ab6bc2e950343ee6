using Microsoft.Extensions.Options;
using Personalization.Interfaces;

namespace Personalization.Grains.Oversight;

/// <summary>
/// One partition of the exposure counts, kept in memory in one-minute buckets over the window. Operational data, not
/// persisted: a silo restart starts the window afresh.
/// </summary>
public sealed class ExposureGrain(IOptions<OversightOptions> options) : Grain, IExposureGrain
{
    private readonly TimeSpan _window = options.Value.Window;
    private readonly SortedDictionary<long, Bucket> _buckets = [];

    public Task RecordServedAsync(ServedList[] lists)
    {
        if (lists.Length == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var (itemIds, servedAt) in lists)
        {
            var minute = servedAt.UtcTicks / TimeSpan.TicksPerMinute;
            if (!_buckets.TryGetValue(minute, out var bucket))
            {
                _buckets[minute] = bucket = new Bucket();
            }

            bucket.ServedLists++;
            foreach (var itemId in itemIds)
            {
                bucket.Exposures[itemId] = bucket.Exposures.GetValueOrDefault(itemId) + 1;
            }
        }

        // Once per batch: evicting as of the newest list drops what evicting after each list would have dropped.
        Evict(lists.Max(l => l.ServedAt));
        return Task.CompletedTask;
    }

    public Task<ExposureWindow> GetExposuresAsync(DateTimeOffset asOf)
    {
        Evict(asOf);
        var exposures = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (itemId, count) in _buckets.Values.SelectMany(b => b.Exposures))
        {
            exposures[itemId] = exposures.GetValueOrDefault(itemId) + count;
        }

        return Task.FromResult(new ExposureWindow(exposures, _buckets.Values.Sum(b => b.ServedLists)));
    }

    private void Evict(DateTimeOffset now)
    {
        var oldest = (now - _window).UtcTicks / TimeSpan.TicksPerMinute;
        foreach (var minute in _buckets.Keys.TakeWhile(m => m < oldest).ToList())
        {
            _buckets.Remove(minute);
        }
    }

    private sealed class Bucket
    {
        public Dictionary<string, long> Exposures { get; } = new(StringComparer.Ordinal);

        public long ServedLists { get; set; }
    }
}
