using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;

namespace Personalization.Grains.Oversight;

/// <summary>
/// One partition of the exposure counts, kept in memory in one-minute buckets over the window, and their sum over the
/// window beside them (a bucket's counts come off it as the bucket leaves the window), so that a report costs the
/// distinct items exposed, not the minutes times the items. Operational data, not persisted: a silo restart starts the
/// window afresh.
/// </summary>
public sealed class ExposureGrain(IOptions<OversightOptions> options) : Grain, IExposureGrain
{
    private readonly TimeSpan _window = options.Value.Window;
    private readonly SortedDictionary<long, Bucket> _buckets = [];
    private readonly Dictionary<string, long> _inWindow = new(StringComparer.Ordinal);

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
                CollectionsMarshal.GetValueRefOrAddDefault(bucket.Exposures, itemId, out _)++;
                CollectionsMarshal.GetValueRefOrAddDefault(_inWindow, itemId, out _)++;
            }
        }

        // Once per batch: evicting as of the newest list drops what evicting after each list would have dropped.
        Evict(lists.Max(l => l.ServedAt));
        return Task.CompletedTask;
    }

    public Task<ExposureWindow> GetExposuresAsync(DateTimeOffset asOf)
    {
        Evict(asOf);
        // A copy: the answer is immutable, and a call within the silo would otherwise share the dictionary this grain changes.
        return Task.FromResult(new ExposureWindow(new Dictionary<string, long>(_inWindow, StringComparer.Ordinal), _buckets.Values.Sum(b => b.ServedLists)));
    }

    private void Evict(DateTimeOffset now)
    {
        var oldest = (now - _window).UtcTicks / TimeSpan.TicksPerMinute;
        foreach (var minute in _buckets.Keys.TakeWhile(m => m < oldest).ToList())
        {
            var bucket = _buckets[minute];
            _buckets.Remove(minute);
            foreach (var (itemId, count) in bucket.Exposures)
            {
                ref var total = ref CollectionsMarshal.GetValueRefOrNullRef(_inWindow, itemId);
                if ((total -= count) == 0)
                {
                    _inWindow.Remove(itemId);
                }
            }
        }
    }

    private sealed class Bucket
    {
        public Dictionary<string, long> Exposures { get; } = new(StringComparer.Ordinal);

        public long ServedLists { get; set; }
    }
}
