using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Personalization.Grains.Persistence;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A shard's items stored a page per row of the grain storage (state <c>catalog-page-N</c>): read back in page order,
/// written a changed page at a time from snapshots.
/// </summary>
internal sealed class PageStore(IGrainStorage storage, GrainId shard, ShardItems items, ILogger logger)
{
    /// <summary>
    /// Page writes the write-behind keeps in flight at most (each holds a page's snapshot): a large catalog whose pages
    /// all changed is written over several ticks.
    /// </summary>
    public const int WritesInFlight = 8;

    /// <summary>Each page's writer (its stored version, its write in progress).</summary>
    private readonly List<SnapshotWriter<ItemPage>> _writers = [];

    /// <summary>Completes when the writes started so far are done, whether or not they succeeded.</summary>
    public Task Idle => Task.WhenAll(_writers.Select(writer => writer.Idle));

    public static string StateName(int page) => $"catalog-page-{page}";

    /// <summary>Pages 0, 1, ... until the first one never written (pages are written in order, each once it has items).</summary>
    public async Task ReadAsync(LabelSets labels)
    {
        while (true)
        {
            var writer = new SnapshotWriter<ItemPage>(storage, shard, StateName(_writers.Count));
            var page = await writer.ReadAsync(() => new ItemPage());
            if (!writer.IsStored)
            {
                return;
            }

            page.InternLabels(labels);
            items.Load(page);
            _writers.Add(writer);
        }
    }

    /// <summary>
    /// Writes the pages changed since their last write, from snapshots. With <paramref name="waitUntilStored"/> (a
    /// caller acknowledges what it changed) every write is awaited; otherwise (write-behind) a page already stored is
    /// written off the grain's turn, at most <see cref="WritesInFlight"/> at a time, and a page still being written
    /// waits for the next tick. A page's first write is always awaited: reads stop at the first missing page.
    /// </summary>
    public async Task WriteChangedAsync(bool waitUntilStored)
    {
        var inFlight = _writers.Count(writer => !writer.Last.IsCompleted);
        for (var index = 0; index < items.Pages.Count; index++)
        {
            var page = items.Pages[index];
            if (index == _writers.Count)
            {
                _writers.Add(new SnapshotWriter<ItemPage>(storage, shard, StateName(index)));
            }

            var writer = _writers[index];
            page.Changed |= writer.LastWriteFailed(logger);

            var background = !waitUntilStored && writer.IsStored;
            if (!page.Changed || (background && (!writer.Last.IsCompleted || inFlight >= WritesInFlight)))
            {
                continue;
            }

            page.Changed = false;
            var write = writer.WriteAsync(page.Snapshot(items.PackedVectorsOf(index)));
            if (background)
            {
                inFlight++;
                continue;
            }

            try
            {
                await write;
            }
            catch
            {
                page.Changed = true;
                throw;
            }
        }
    }
}
