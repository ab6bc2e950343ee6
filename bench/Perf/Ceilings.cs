using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personalization.Grains.Catalog;
using Personalization.Model;
using Personalization.Silo.Hosting;

namespace Personalization.Bench.Perf;

/// <summary>The scan of one catalog size on one core: exact float32, and the 8-bit pass with exact re-scoring.</summary>
public sealed record ScanCeiling(int Items, double ExactMs, double QuantizedMs, double RecallAt10)
{
    /// <summary>Bytes of float32 vectors the exact scan reads per second.</summary>
    public double ExactGBps(int dimension) => Items * dimension * 4.0 / (ExactMs / 1000) / 1e9;
}

/// <summary>What this machine can do at most, measured in the same run as the service figures.</summary>
public static class Ceilings
{
    /// <summary>
    /// Streaming-read bandwidth: a plain SIMD sum over a 1 GiB buffer, best of three, on one core (as the raw scan
    /// runs) and on all cores.
    /// </summary>
    public static (double OneCoreGBps, double AllCoresGBps) MemoryBandwidth()
    {
        var buffer = GC.AllocateUninitializedArray<float>(1 << 28);
        // Written first: untouched pages would all map the one zero page and read from cache.
        buffer.AsSpan().Fill(1f);
        var oneCore = Best(() => TensorPrimitives.Sum(buffer));
        var parts = Environment.ProcessorCount;
        var allCores = Best(() => Parallel.For(0, parts, part =>
            TensorPrimitives.Sum(buffer.AsSpan(part * (buffer.Length / parts), buffer.Length / parts))));
        return (oneCore, allCores);

        double Best(Action sum) => Enumerable.Range(0, 3).Max(_ =>
        {
            var started = Stopwatch.GetTimestamp();
            sum();
            return buffer.Length * 4.0 / Stopwatch.GetElapsedTime(started).TotalSeconds / 1e9;
        });
    }

    /// <summary>Calls to an empty grain per second in an in-process silo, many calls outstanding.</summary>
    public static async Task<double> GrainCallsPerSecondAsync(TimeSpan duration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort.Pick(), FreePort.Pick()));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await CallAsync(grains, TimeSpan.FromSeconds(1));
            return await CallAsync(grains, duration) / duration.TotalSeconds;
        }
        finally
        {
            await host.StopAsync();
        }

        static async Task<long> CallAsync(IGrainFactory grains, TimeSpan duration)
        {
            long calls = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 1000).Select(async worker =>
            {
                var grain = grains.GetGrain<IEmptyGrain>(worker % 100);
                while (clock.Elapsed < duration)
                {
                    await grain.PingAsync();
                    Interlocked.Increment(ref calls);
                }
            }));
            return calls;
        }
    }

    /// <summary>
    /// Median time of one top-10 query over the first <paramref name="items"/> rows of <paramref name="vectors"/> on this
    /// thread, exact (float32) and as a shard scans (8-bit, re-scored from float16), and the shard scan's recall@10
    /// against the exact one.
    /// </summary>
    public static ScanCeiling Scan(float[] vectors, int items, int dimension, int queries)
    {
        var quantized = new QuantizedRows(dimension, ItemPage.Rows);
        var halves = new HalfRows(dimension, ItemPage.Rows);
        for (var i = 0; i < items; i++)
        {
            quantized.Set(i, vectors.AsSpan(i * dimension, dimension));
            halves.Set(i, vectors.AsSpan(i * dimension, dimension));
        }

        // Unmeasured first: the loops are compiled at full optimization only after a few hundred milliseconds of running.
        var warmup = Stopwatch.StartNew();
        var warmupTerms = new ScanTerms(SyntheticCatalog.Query(vectors, items, dimension, -1), [], [], 0);
        while (warmup.Elapsed < TimeSpan.FromMilliseconds(500))
        {
            CatalogScan.TopExact(vectors, items, warmupTerms, 10, _ => true);
            CatalogScan.Top(quantized, halves, items, warmupTerms, 10, _ => true);
        }

        var exact = new List<double>();
        var approximate = new List<double>();
        var found = 0;
        for (var seed = 0; seed < queries; seed++)
        {
            var terms = new ScanTerms(SyntheticCatalog.Query(vectors, items, dimension, seed), [], [], 0);
            var started = Stopwatch.GetTimestamp();
            var truth = CatalogScan.TopExact(vectors, items, terms, 10, _ => true);
            exact.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            var fast = CatalogScan.Top(quantized, halves, items, terms, 10, _ => true);
            approximate.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var expected = truth.Select(s => s.Index).ToHashSet();
            found += fast.Count(s => expected.Contains(s.Index));
        }

        return new ScanCeiling(items, Median(exact), Median(approximate), (double)found / (queries * 10));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
