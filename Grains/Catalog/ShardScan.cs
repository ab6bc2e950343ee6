using System.Collections.Concurrent;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A shard's recommendation scan over the shard's own items, vectors, co-occurrence counts and popularity. Run by its
/// grain for a remote caller and, in the grain's process, by the gateway directly (<see cref="LocalCatalogShards"/>).
/// Scans run side by side; a change of anything a scan reads waits until no scan runs and keeps new ones out while it
/// is made, so a change is seen by every scan that starts after the grain has answered it (read-your-writes), and no
/// scan sees a change half made. The changes are synchronous and short, and a scan holds the lock only while it
/// computes: a thread waits on it briefly instead of queueing a continuation per contended scan.
/// </summary>
internal sealed class ShardScan(ShardItems items, CoOccurrenceIndex coOccurrence, PopularityScores popularity, LearningOptions settings)
    : ILocalCatalogShard
{
    /// <summary>Items from which a scan takes long enough to let the caller go on meanwhile.</summary>
    private const int YieldFrom = 32_768;

    private readonly ReaderWriterLockSlim _lock = new();

    /// <summary>Scratch of finished scans, reused (no allocation the size of the catalog per request).</summary>
    private readonly ConcurrentBag<Scratch> _scratch = [];

    /// <summary>Waits until no scan runs and keeps scans out until disposed: for a change of anything a scan reads.</summary>
    public Turn Change()
    {
        _lock.EnterWriteLock();
        return new Turn(_lock);
    }

    public async Task<ScoredItem[]> RecommendAsync(ShardQuery query)
    {
        if (items.Count >= YieldFrom)
        {
            // A large shard's scan takes milliseconds: the caller goes on to the next shard meanwhile.
            await Task.Yield();
        }

        var scratch = _scratch.TryTake(out var reused) ? reused : new Scratch();
        _lock.EnterReadLock();
        try
        {
            return Scan(query, scratch);
        }
        finally
        {
            _lock.ExitReadLock();
            _scratch.Add(scratch);
        }
    }

    private ScoredItem[] Scan(ShardQuery query, Scratch scratch)
    {
        var excluded = scratch.Excluded;
        excluded.Clear();
        foreach (var id in query.Exclude)
        {
            if (items.TryGetSlot(id, out var slot))
            {
                excluded.Add(slot);
            }
        }

        var count = items.Count;
        if (scratch.CoScores.Length < count)
        {
            scratch.CoScores = new float[Math.Max(count, scratch.CoScores.Length * 3 / 2)];
        }

        // The scratch is all zeros between scans: what a scan adds is cleared below.
        var coScores = scratch.CoScores.AsSpan(0, count);
        var entries = coOccurrence.Score(query.History, coScores, settings.CoOccurrenceWeight);
        var terms = new ScanTerms(
            query.Vector,
            entries > 0 ? coScores : [],
            query.PopularityWeight > 0 ? popularity.All(items, query.AsOf) : [],
            query.PopularityWeight);
        var top = CatalogScan.Top(items.Quantized, items.Exact, count, terms, query.Count, slot =>
            items[slot].Active && !excluded.Contains(slot) && (query.Category is not { } category || items[slot].Categories.Contains(category)));
        coOccurrence.Clear(query.History, entries, coScores);

        var answer = new ScoredItem[top.Length];
        for (var i = 0; i < top.Length; i++)
        {
            var item = items[top[i].Index];
            answer[i] = new ScoredItem(
                item.Id, top[i].Score, popularity.Of(item, query.AsOf), item.Categories, query.IncludeVectors ? items.Vector(top[i].Index) : null);
        }

        return answer;
    }

    /// <summary>A change's hold on the lock, given back on dispose (on the thread that took it: no await in between).</summary>
    public readonly struct Turn(ReaderWriterLockSlim held) : IDisposable
    {
        public void Dispose() => held.ExitWriteLock();
    }

    /// <summary>What one scan writes besides its answer.</summary>
    private sealed class Scratch
    {
        /// <summary>Co-occurrence scores by slot: all zeros between scans.</summary>
        public float[] CoScores { get; set; } = [];

        public HashSet<int> Excluded { get; } = [];
    }
}
