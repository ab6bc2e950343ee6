using System.Text.Json;
using Personalization.Bench.Cli;

namespace Personalization.Bench.Load;

/// <summary>
/// <c>bench load --url URL [--url URL2 ...] [--pids P,...]</c>: drives a running gateway (standalone, or a cluster's nodes
/// round robin, or its load balancer) with the scenarios of <c>bench perf</c>:
/// durable ingest in batches of 100 events and as single-event requests, then recommendations for the users it created
/// (saturation, percentiles at half of it, low load). Loopback targets only, bounded in time.
/// </summary>
public static class LoadCommand
{
    /// <summary>Events each user gets before the measured scenarios (<see cref="Scenarios.ActivateUsersAsync"/>).</summary>
    public const int ActivationEvents = 3;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        if (options.Urls.Any(url => !url.IsLoopback))
        {
            Console.Error.WriteLine("bench load only targets a gateway on this machine (loopback).");
            return 2;
        }

        if (ProcessCpu.Missing(options.ProcessIds).ToList() is [_, ..] missing)
        {
            Console.Error.WriteLine($"--pids: no process {string.Join(", ", missing)} is running.");
            return 2;
        }

        Func<TimeSpan>? serverCpu = options.ProcessIds.Count > 0 ? () => ProcessCpu.Total(options.ProcessIds) : null;
        using var client = Scenarios.Client(options.Urls, options.ApiKey);
        string Item(Random random) => $"load-item-{random.Next(options.Items)}";
        await Progress.PhaseAsync(
            $"activating {options.Users:N0} users", () => Scenarios.ActivateUsersAsync(client, options.Users, ActivationEvents, options.Concurrency, Item));
        var ingest = await Progress.PhaseAsync(
            "ingest", () => Scenarios.IngestSuiteAsync(client, options.Warmup, options.Duration, options.Concurrency, options.Users, Item, serverCpu));
        var recommend = await Progress.PhaseAsync("recommendations", () => Scenarios.RecommendSuiteAsync(
            client, new WarmUp(options.Warmup), options.Duration, options.Concurrency * 2, options.Users, lowLoadRequests: 200, serverCpu));
        PrintIngest(Console.Out, ingest);
        PrintRecommend(Console.Out, [("recommend", recommend)]);

        if (options.JsonPath is { } path)
        {
            var json = new
            {
                targets = options.Urls.Select(url => url.ToString()).ToArray(),
                processIds = options.ProcessIds,
                seconds = options.Duration.TotalSeconds,
                warmupSeconds = options.Warmup.TotalSeconds,
                concurrency = options.Concurrency,
                users = options.Users,
                ingest = IngestJson(ingest),
                recommend = recommend.ToJson(),
            };
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }

        return ingest.Batch100.Failed + ingest.Repeated.Failed + ingest.Single.Failed + recommend.Saturation.Failed == 0 ? 0 : 1;
    }

    public static object IngestJson(IngestFigures ingest) => new
    {
        batch100 = BatchJson(ingest.Batch100),
        batch100Repeated = BatchJson(ingest.Repeated),
        batch100ShareOfRepeated = ingest.ShareOfRepeated,
        batch100ServerCpuMsPerEvent = ingest.ServerCpuMsPerEvent is { } cpu ? Math.Round(cpu, 4) : (double?)null,
        batch100MachineCpuMsPerEvent = Math.Round(ingest.MachineCpuMsPerEvent, 4),
        batch100ClientCpuMsPerEvent = Math.Round(ingest.ClientCpuMsPerEvent, 4),
        single = new { requestsPerSec = Math.Round(ingest.Single.RequestsPerSec), p50Ms = ingest.Single.P50Ms, p99Ms = ingest.Single.P99Ms, failed = ingest.Single.Failed },
    };

    public static object BatchJson(LoadResult batch) =>
        new { eventsPerSec = Math.Round(batch.EventsPerSec), p50Ms = batch.P50Ms, p99Ms = batch.P99Ms, failed = batch.Failed };

    public static void PrintIngest(TextWriter output, IngestFigures ingest)
    {
        output.WriteLine($"{"ingest",-26} {"events/s",10} {"requests/s",11} {"p50 ms",8} {"p99 ms",8} {"failed",7}");
        foreach (var (name, result) in new[] { ("batches of 100", ingest.Batch100), ("same batches again (ceil.)", ingest.Repeated), ("single event", ingest.Single) })
        {
            output.WriteLine($"{name,-26} {result.EventsPerSec,10:F0} {result.RequestsPerSec,11:F0} {result.P50Ms,8:F2} {result.P99Ms,8:F2} {result.Failed,7}");
        }

        output.WriteLine($"batches of 100 at {ingest.ShareOfRepeated:P0} of the same batches sent again (ids already acknowledged: no durable write, no model update)");
        var server = ingest.ServerCpuMsPerEvent is { } cpu ? $"server {cpu:F4} ms, " : "";
        output.WriteLine(
            $"CPU per event of the batches of 100: {server}this client {ingest.ClientCpuMsPerEvent:F4} ms, whole machine {ingest.MachineCpuMsPerEvent:F4} ms");
    }

    public static void PrintRecommend(TextWriter output, IEnumerable<(string Name, RecommendFigures Figures)> rows)
    {
        output.WriteLine($"{"recommendations",-22} {"sat. req/s",10} {"at req/s",9} {"p50 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"low p50",8} {"failed",7} {"CPU ms/req: client",19} {"gateway",8}");
        foreach (var (name, f) in rows)
        {
            output.WriteLine($"{name,-22} {f.Saturation.RequestsPerSec,10:F0} {f.Saturation.RequestsPerSec / 2,9:F0} {f.HalfSaturation.P50Ms,8:F2} {f.HalfSaturation.P99Ms,8:F2} {f.HalfSaturation.P999Ms,9:F2} {f.LowLoad.P50Ms,8:F2} {f.Saturation.Failed + f.HalfSaturation.Failed + f.LowLoad.Failed,7} {f.ClientCpuMs,19:F3} {f.ServerCpuMs,8:F3}");
        }
    }
}

/// <summary>What <c>bench load</c> was asked to do.</summary>
public sealed record LoadOptions(
    IReadOnlyList<Uri> Urls, IReadOnlyList<int> ProcessIds, TimeSpan Duration, TimeSpan Warmup, int Concurrency, int Users, int Items, string? ApiKey, string? JsonPath);
