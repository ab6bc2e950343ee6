using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Personalization.Bench.Load;

/// <summary>
/// <c>bench load --url URL</c>: drives a running gateway (standalone or cluster) with durable ingest, in batches of 100
/// events and as single-event requests, and reports throughput and latency percentiles. Loopback targets only, bounded
/// in time.
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: bench load --url http://127.0.0.1:PORT [--seconds 10] [--warmup 10] [--concurrency 8] [--users 10000] [--items 1000] [--api-key KEY] [--json FILE]");
            return 2;
        }

        if (!options.Url.IsLoopback)
        {
            Console.Error.WriteLine("bench load only targets a gateway on this machine (loopback).");
            return 2;
        }

        using var client = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        if (options.ApiKey is { } key)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        // Warm-up, not measured: activates the users' grains and JIT-compiles the paths, as in a service that has been up.
        await IngestAsync(client, options with { Duration = options.Warmup }, batchSize: 100, options.Concurrency);
        var batch = await IngestAsync(client, options, batchSize: 100, options.Concurrency);
        var single = await IngestAsync(client, options, batchSize: 1, options.Concurrency * 2);
        Console.WriteLine($"{"scenario",-22} {"events/s",10} {"requests/s",11} {"p50 ms",8} {"p99 ms",8} {"failed",7}");
        foreach (var (name, result) in new[] { ("ingest, batches of 100", batch), ("ingest, single event", single) })
        {
            Console.WriteLine($"{name,-22} {result.EventsPerSec,10:F0} {result.RequestsPerSec,11:F0} {result.P50Ms,8:F1} {result.P99Ms,8:F1} {result.Failed,7}");
        }

        if (options.JsonPath is { } path)
        {
            var json = new
            {
                target = options.Url.ToString(),
                seconds = options.Duration.TotalSeconds,
                warmupSeconds = options.Warmup.TotalSeconds,
                concurrency = options.Concurrency,
                users = options.Users,
                ingest = new
                {
                    batch100 = new { eventsPerSec = Math.Round(batch.EventsPerSec), p50Ms = batch.P50Ms, p99Ms = batch.P99Ms, failed = batch.Failed },
                    single = new { requestsPerSec = Math.Round(single.RequestsPerSec), p50Ms = single.P50Ms, p99Ms = single.P99Ms, failed = single.Failed },
                },
            };
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }

        return batch.Failed + single.Failed == 0 ? 0 : 1;
    }

    /// <summary>Closed loop: each worker sends its next request when the previous one is answered.</summary>
    private static async Task<Result> IngestAsync(HttpClient client, LoadOptions options, int batchSize, int workers)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var latencies = new List<double>[workers];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var own = latencies[worker] = [];
            for (var n = 0; clock.Elapsed < options.Duration; n++)
            {
                var events = Enumerable.Range(0, batchSize).Select(i => new
                {
                    eventId = $"{run}-{batchSize}-{worker}-{n}-{i}",
                    userId = $"load-user-{random.Next(options.Users)}",
                    itemId = $"load-item-{random.Next(options.Items)}",
                    type = "click",
                }).ToArray();
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/v1/events", events);
                own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(
            (sorted.Length - failed) * batchSize / elapsed,
            sorted.Length / elapsed,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            failed);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))], 2);

    private sealed record Result(double EventsPerSec, double RequestsPerSec, double P50Ms, double P99Ms, int Failed);

    private sealed record LoadOptions(
        Uri Url, TimeSpan Duration, TimeSpan Warmup, int Concurrency, int Users, int Items, string? ApiKey, string? JsonPath)
    {
        public static LoadOptions? Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    return null;
                }

                values[args[i][2..]] = args[i + 1];
            }

            if (!values.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return null;
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new LoadOptions(
                uri,
                TimeSpan.FromSeconds(Math.Clamp(Int("seconds", 10), 1, 300)),
                TimeSpan.FromSeconds(Math.Clamp(Int("warmup", 10), 0, 300)),
                Math.Clamp(Int("concurrency", 8), 1, 256),
                Int("users", 10_000),
                Int("items", 1_000),
                values.GetValueOrDefault("api-key"),
                values.GetValueOrDefault("json"));
        }
    }
}
