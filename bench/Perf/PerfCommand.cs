using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personalization.Bench.Cli;
using Personalization.Bench.Load;
using Personalization.Model;

namespace Personalization.Bench.Perf;

/// <summary>
/// <c>bench perf [--quick]</c>: the ceilings of this machine (memory bandwidth, empty grain calls, raw scans), then a
/// standalone gateway in a child process, loaded over HTTP with catalogs of 10k, 100k and 1M items and measured with
/// the <see cref="Scenarios"/> of <c>bench load</c>; every figure beside its ceiling.
/// </summary>
public static class PerfCommand
{
    private static readonly int[] _sizes = [10_000, 100_000, 1_000_000];

    /// <summary>Outstanding requests of the closed loops of recommendations and of empty requests.</summary>
    private const int RecommendWorkers = 16;

    /// <summary>The longest wait for the gateway to finish what the phase before left behind.</summary>
    private static readonly TimeSpan SettleAtMost = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(PerfOptions options)
    {
        if (!File.Exists(options.Gateway))
        {
            Console.Error.WriteLine($"{options.Gateway} not found: build first (dotnet build Orleans.sln -c Release) or pass --gateway.");
            return 2;
        }

        var total = Stopwatch.StartNew();
        if (options.MemoryOnly)
        {
            return await MemoryOnlyAsync(options, Console.Out);
        }

        var settings = new LearningOptions();
        var d = settings.Dimension;
        var output = Console.Out;

        // Ceilings first, while nothing else of this run is busy.
        var (memoryOneCore, memoryAllCores) = Ceilings.MemoryBandwidth();
        output.WriteLine($"memory: {memoryOneCore:F1} GB/s on one core, {memoryAllCores:F1} GB/s on all {Environment.ProcessorCount}");
        var grainCalls = await Progress.PhaseAsync("empty grain calls", () => Ceilings.GrainCallsPerSecondAsync(options.Seconds));
        output.WriteLine($"empty grain calls: {grainCalls:F0}/s");
        var vectors = SyntheticCatalog.Vectors(_sizes[^1], settings);
        var scans = _sizes.Select(n => Ceilings.Scan(vectors, n, d, n >= 1_000_000 ? options.Queries / 2 : options.Queries)).ToArray();
        vectors = null;
        foreach (var scan in scans)
        {
            output.WriteLine($"scan {scan.Items,9:N0}: exact {scan.ExactMs:F3} ms ({scan.ExactGBps(d):F1} GB/s), 8-bit + re-score {scan.QuantizedMs:F3} ms, recall@10 {scan.RecallAt10:F3}");
        }

        var users = await MeasureUserMemoryAsync(options, output);

        var gatewaySettings = new Dictionary<string, string> { ["Catalog:ShardCount"] = options.Shards.ToString(CultureInfo.InvariantCulture) };

        await using var gateway = await Progress.PhaseAsync("starting the gateway", () => GatewayProcess.StartAsync(options.Gateway, gatewaySettings));
        using var client = Scenarios.Client(gateway.Url, gateway.ApiKey);
        await SettleAsync(gateway, output);
        // With the operator's key, which has no rate limit by default: the empty request's saturation and its warm-up until
        // the JIT is quiet would run into the ingest key's bucket, and a refused request costs otherwise than an answer.
        using var operatorClient = Scenarios.Client(gateway.Url, gateway.AdminKey);
        var empty = await Progress.PhaseAsync("empty requests", () => Scenarios.EmptyRequestAsync(
            operatorClient, new WarmUp(options.Warmup, gateway.JitTimeAsync), options.Seconds, RecommendWorkers, () => gateway.CpuTime));
        output.WriteLine(
            $"empty request (GET /health/live): {empty.CpuMs:F3} ms of gateway CPU, saturation {empty.Saturation.RequestsPerSec:F0} req/s; " +
            $"at {empty.Saturation.RequestsPerSec / 2:F0} req/s p50 {empty.HalfSaturation.P50Ms:F2}, p99 {empty.HalfSaturation.P99Ms:F2}, " +
            $"p99.9 {empty.HalfSaturation.P999Ms:F2} ms; {empty.Failed} failed; warmed up {empty.WarmedUp.TotalSeconds:F0} s");
        var nothing = LoadResult.Of([], 1, 1, 0);
        var ingest = new IngestFigures(nothing, nothing, nothing, 0, 0);
        var loads = new List<object>();
        var recommend = new Dictionary<int, RecommendFigures>();
        double bytesPerItem = 0;
        var loaded = 0;
        foreach (var size in _sizes)
        {
            var residentBefore = await gateway.ResidentAfterGcAsync();
            var (itemsPerSec, method) = await Progress.PhaseAsync($"loading items {loaded:N0}..{size:N0}", () => LoadItemsAsync(client, loaded, size));
            loads.Add(new { items = size - loaded, method, itemsPerSec = Math.Round(itemsPerSec) });
            output.WriteLine($"loaded items {loaded:N0}..{size:N0} via {method}: {itemsPerSec:F0} items/s");
            if (loaded > 0)
            {
                // Marginal: the fixed cost of the process and of the first items is not counted against items.
                bytesPerItem = (double)(await gateway.ResidentAfterGcAsync() - residentBefore) / (size - loaded);
            }

            loaded = size;
            if (size == _sizes[0])
            {
                // Users become active on the smallest catalog; they are the users of every later scenario.
                string Item(Random random) => SyntheticCatalog.ItemId(random.Next(size));
                await Progress.PhaseAsync(
                    $"activating {options.Users:N0} users", () => Scenarios.ActivateUsersAsync(client, options.Users, LoadCommand.ActivationEvents, workers: 8, Item));
                ingest = await Progress.PhaseAsync(
                    "ingest", () => Scenarios.IngestSuiteAsync(client, options.Warmup, options.Seconds, workers: 8, options.Users, Item));
                LoadCommand.PrintIngest(output, ingest);
            }

            await SettleAsync(gateway, output);
            recommend[size] = await Progress.PhaseAsync($"recommendations on {size:N0} items", () => Scenarios.RecommendSuiteAsync(
                client, new WarmUp(options.Warmup, gateway.JitTimeAsync), options.Seconds, RecommendWorkers, options.Users, options.LowLoadRequests, () => gateway.CpuTime));
            LoadCommand.PrintRecommend(output, [($"{size:N0} items", recommend[size])]);
            var scanMs = scans.Single(s => s.Items == size).ExactMs;
            output.WriteLine(
                $"  gateway CPU {recommend[size].ServerCpuMs:F3} ms/request = {OverScanAndEmpty(recommend[size], scanMs, empty.CpuMs):F2}x (raw scan {scanMs:F3} + empty request {empty.CpuMs:F3} ms); " +
                $"with the client's {recommend[size].ClientCpuMs:F3} ms the {Environment.ProcessorCount} cores allow {recommend[size].RateBoundFromCpu:F0} req/s; " +
                $"warmed up {recommend[size].WarmedUp.TotalSeconds:F0} s");
        }

        var report = Report(options, scans, memoryOneCore, memoryAllCores, grainCalls, empty, ingest, recommend, loads, bytesPerItem, users, total.Elapsed);
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(json);
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, json);
        }

        return recommend.Values.Sum(r => r.Saturation.Failed + r.HalfSaturation.Failed + r.LowLoad.Failed) + empty.Failed
            + ingest.Batch100.Failed + ingest.Repeated.Failed + ingest.Single.Failed == 0 ? 0 : 1;
    }

    /// <summary>Waits until the gateway has finished what the phase before left behind, and says how long that took.</summary>
    private static async Task SettleAsync(GatewayProcess gateway, TextWriter output)
    {
        var settled = await Progress.PhaseAsync("waiting for the gateway to settle", () => gateway.WaitUntilQuietAsync(SettleAtMost));
        output.WriteLine($"settled after {settled.TotalSeconds:F0} s (gateway below a tenth of a core for a second)");
    }

    private static async Task<UserMemoryFigures> MeasureUserMemoryAsync(PerfOptions options, TextWriter output)
    {
        var users = await Progress.PhaseAsync($"memory of {options.Users:N0} active users", () => UserMemory.MeasureAsync(options, _sizes[0]));
        UserMemory.Print(output, users);
        return users;
    }

    /// <summary><c>--memory-only</c>: the memory of active users alone, reported as the <c>memory</c> part of the full report.</summary>
    private static async Task<int> MemoryOnlyAsync(PerfOptions options, TextWriter output)
    {
        var users = await MeasureUserMemoryAsync(options, output);
        var json = JsonSerializer.Serialize(new { machine = Machine(options, users.ReadAfter), memory = users.ToJson() }, new JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(json);
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, json);
        }

        return 0;
    }

    /// <summary>
    /// The gateway's CPU per recommendation against its floor: the raw exact scan of the catalog plus an empty request's CPU.
    /// </summary>
    private static double? OverScanAndEmpty(RecommendFigures figures, double scanMs, double emptyRequestCpuMs) =>
        figures.ServerCpuMs / (scanMs + emptyRequestCpuMs);

    /// <summary>
    /// Items <paramref name="from"/>..<paramref name="to"/>: the first catalog through POST /v1/items in batches of
    /// 1,000 (as an app adds items), the larger ones through the bulk import.
    /// </summary>
    internal static async Task<(double ItemsPerSec, string Method)> LoadItemsAsync(HttpClient client, int from, int to)
    {
        var clock = Stopwatch.StartNew();
        if (from == 0)
        {
            foreach (var chunk in Enumerable.Range(from, to - from).Chunk(1000))
            {
                using var response = await client.PostAsJsonAsync("/v1/items", chunk.Select(Item));
                response.EnsureSuccessStatusCode();
            }

            return ((to - from) / clock.Elapsed.TotalSeconds, "POST /v1/items, 1,000 per request");
        }

        var body = new StringBuilder();
        foreach (var i in Enumerable.Range(from, to - from))
        {
            body.AppendLine(JsonSerializer.Serialize(Item(i)));
        }

        clock.Restart();
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
        using var imported = await client.PostAsync("/v1/items/import", content);
        imported.EnsureSuccessStatusCode();
        return ((to - from) / clock.Elapsed.TotalSeconds, "POST /v1/items/import (NDJSON)");

        static object Item(int i)
        {
            var (category, tag) = SyntheticCatalog.Metadata(i);
            return new { id = SyntheticCatalog.ItemId(i), categories = new[] { category }, tags = new[] { tag } };
        }
    }

    private static object Report(
        PerfOptions options, ScanCeiling[] scans, double memoryOneCore, double memoryAllCores, double grainCalls, EmptyRequestFigures emptyRequest,
        IngestFigures ingest, Dictionary<int, RecommendFigures> recommend, List<object> loads,
        double bytesPerItem, UserMemoryFigures users, TimeSpan elapsed)
    {
        var d = new LearningOptions().Dimension;
        var cores = Environment.ProcessorCount;
        var scanMs = scans.ToDictionary(s => s.Items.ToString(CultureInfo.InvariantCulture), s => Math.Round(s.ExactMs, 3));
        return new
        {
            machine = Machine(options, elapsed),
            ceilings = new
            {
                grainCallsPerSec = Math.Round(grainCalls),
                emptyRequestCpuMs = Math.Round(emptyRequest.CpuMs, 3),
                emptyRequestFailed = emptyRequest.Failed,
                emptyRequestRps = Math.Round(emptyRequest.Saturation.RequestsPerSec),
                emptyRequestHalfSaturationP50Ms = emptyRequest.HalfSaturation.P50Ms,
                emptyRequestHalfSaturationP99Ms = emptyRequest.HalfSaturation.P99Ms,
                emptyRequestHalfSaturationP999Ms = emptyRequest.HalfSaturation.P999Ms,
                emptyRequestWarmUpSeconds = Math.Round(emptyRequest.WarmedUp.TotalSeconds, 1),
                memoryGBps = Math.Round(memoryOneCore, 2),
                memoryGBpsAllCores = Math.Round(memoryAllCores, 2),
                scanMs,
                scan = scans.ToDictionary(s => s.Items.ToString(CultureInfo.InvariantCulture), s => new
                {
                    exactMs = Math.Round(s.ExactMs, 3),
                    exactGBps = Math.Round(s.ExactGBps(d), 2),
                    shareOfMemoryBandwidth = Math.Round(s.ExactGBps(d) / memoryOneCore, 3),
                    quantizedMs = Math.Round(s.QuantizedMs, 3),
                    quantizedRecallAt10 = Math.Round(s.RecallAt10, 4),
                }),
            },
            ingest = new
            {
                batch100 = new { eventsPerSec = Math.Round(ingest.Batch100.EventsPerSec), p50Ms = ingest.Batch100.P50Ms, p99Ms = ingest.Batch100.P99Ms, failed = ingest.Batch100.Failed, shareOfGrainCallRate = Math.Round(ingest.Batch100.EventsPerSec / grainCalls, 3), shareOfRepeated = ingest.ShareOfRepeated },
                batch100Repeated = LoadCommand.BatchJson(ingest.Repeated),
                single = new { requestsPerSec = Math.Round(ingest.Single.RequestsPerSec), p50Ms = ingest.Single.P50Ms, p99Ms = ingest.Single.P99Ms, failed = ingest.Single.Failed, shareOfGrainCallRate = Math.Round(ingest.Single.RequestsPerSec / grainCalls, 3) },
            },
            recommend = recommend.ToDictionary(r => r.Key.ToString(CultureInfo.InvariantCulture), r =>
            {
                var scan = scans.Single(s => s.Items == r.Key).ExactMs;
                // What the cores could serve if a request cost nothing but its raw exact scan.
                var scanBoundRps = cores * 1000 / scan;
                var figures = JsonSerializer.SerializeToNode(r.Value.ToJson())!.AsObject();
                figures["scanBoundRps"] = Math.Round(scanBoundRps);
                figures["saturationOverScanBound"] = Math.Round(r.Value.Saturation.RequestsPerSec / scanBoundRps, 3);
                figures["lowLoadP50OverScan"] = Math.Round(r.Value.LowLoad.P50Ms / scan, 2);
                figures["p99OverScan"] = Math.Round(r.Value.HalfSaturation.P99Ms / scan, 2);
                figures["gatewayCpuOverScanAndEmptyRequest"] = OverScanAndEmpty(r.Value, scan, emptyRequest.CpuMs) is { } ratio ? Math.Round(ratio, 2) : null;
                return figures;
            }),
            memory = ItemAndUserMemory(bytesPerItem, users),
            loading = loads,
        };
    }

    private static object Machine(PerfOptions options, TimeSpan elapsed) => new
    {
        cores = Environment.ProcessorCount,
        os = Environment.OSVersion.ToString(),
        runtime = Environment.Version.ToString(),
        date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        quick = options.Quick,
        shards = options.Shards,
        elapsedSeconds = Math.Round(elapsed.TotalSeconds),
    };

    private static JsonObject ItemAndUserMemory(double bytesPerItem, UserMemoryFigures users)
    {
        var d = new LearningOptions().Dimension;
        var memory = users.ToJson();
        memory["bytesPerItem"] = Math.Round(bytesPerItem);
        memory["vectorBytesPerItem"] = d * 4;
        memory["itemOverVector"] = Math.Round(bytesPerItem / (d * 4), 2);
        return memory;
    }
}
