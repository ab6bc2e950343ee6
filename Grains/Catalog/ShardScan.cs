using System.Diagnostics.CodeAnalysis;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A shard's recommendation scan over the shard's own items, vectors, co-occurrence counts and popularity. Run by its
/// grain for a remote caller and, in the grain's process, by the gateway directly (<see cref="LocalCatalogShards"/>).
/// Scans and the grain's changes of what a scan reads take turns on one gate, so a change is seen by every scan that
/// starts after the grain has answered it (read-your-writes), and no scan sees a change half made.
/// </summary>
internal sealed class ShardScan(ShardItems items, CoOccurrenceIndex coOccurrence, PopularityScores popularity, LearningOptions settings)
    : ILocalCatalogShard
{
    /// <summary>Items from which a scan takes long enough to let the caller go on meanwhile.</summary>
    private const int YieldFrom = 32_768;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Co-occurrence scores of a scan, reused (no allocation the size of the catalog per request).</summary>
    private float[] _coScores = [];

    /// <summary>The slots a scan excludes, reused from scan to scan.</summary>
    private readonly HashSet<int> _excluded = [];

    /// <summary>Waits until no scan runs and keeps scans out until disposed: for a change of anything a scan reads.</summary>
    public async Task<Turn> ChangeAsync()
    {
        await _gate.WaitAsync();
        return new Turn(_gate);
    }

    public async Task<ScoredItem[]> RecommendAsync(ShardQuery query)
    {
        if (items.Count >= YieldFrom)
        {
            // A large shard's scan takes milliseconds: the caller goes on to the next shard meanwhile.
            await Task.Yield();
        }

        using (await ChangeAsync())
        {
            return Scan(query);
        }
    }

    public bool TryRecommend(ShardQuery query, [NotNullWhen(true)] out ScoredItem[]? answer)
    {
        answer = null;
        if (items.Count >= YieldFrom || !_gate.Wait(0))
        {
            return false;
        }

        using (new Turn(_gate))
        {
            answer = Scan(query);
        }

        return true;
    }

    private ScoredItem[] Scan(ShardQuery query)
    {
        var excluded = _excluded;
        excluded.Clear();
        foreach (var id in query.Exclude)
        {
            if (items.TryGetSlot(id, out var slot))
            {
                excluded.Add(slot);
            }
        }

        var count = items.Count;
        if (_coScores.Length < count)
        {
            _coScores = new float[Math.Max(count, _coScores.Length * 3 / 2)];
        }

        // The scratch is all zeros between scans: what a scan adds is cleared below.
        var coScores = _coScores.AsSpan(0, count);
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

    /// <summary>A turn on the gate, given back on dispose.</summary>
    public readonly struct Turn(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
