using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>
/// Carries served lists to the exposure partitions in batches: one call per <see cref="Interval"/>, to a random
/// partition, made off the serving path, instead of a call per recommendation, which would cost every request a grain call. Oversight sees a list at most one interval late;
/// the oversight report flushes first, so a gateway's own lists are always in it.
/// </summary>
public sealed class ExposureReporter(IGrainFactory grains, IOptions<OversightOptions> oversight, ILogger<ExposureReporter> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentQueue<ServedList> _pending = new();

    /// <summary>One flush at a time: a report's flush must not return while the timer's has lists on the way.</summary>
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public void Served(string[] itemIds, DateTimeOffset servedAt) => _pending.Enqueue(new ServedList(itemIds, servedAt));

    /// <summary>
    /// Sends every list queued so far and waits until a partition has them. Exposure counts are operational data: a
    /// failed send is logged, not retried.
    /// </summary>
    public async Task FlushAsync()
    {
        await _flushing.WaitAsync();
        try
        {
            var lists = new List<ServedList>();
            while (_pending.TryDequeue(out var list))
            {
                lists.Add(list);
            }

            if (lists.Count > 0)
            {
                await grains.ExposurePartition(Random.Shared.Next(oversight.Value.Partitions)).RecordServedAsync([.. lists]);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Served lists could not be sent to oversight");
        }
        finally
        {
            _flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await FlushAsync();
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }
}
