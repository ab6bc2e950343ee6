using System.Diagnostics;
using System.Net.Http.Json;

namespace Personalization.Bench.Load;

/// <summary>
/// The load scenarios of <c>bench load</c> and <c>bench perf</c>, over HTTP against a gateway: durable ingest (batches
/// and single events, closed loop) and recommendations (closed loop to saturation, open loop at a fixed rate, and one
/// request at a time).
/// </summary>
public static class Scenarios
{
    /// <summary>A client for many concurrent requests to one loopback gateway.</summary>
    public static HttpClient Client(Uri url, string? apiKey) => Client([url], apiKey);

    /// <summary>Connections to one server, as an app's backend pools them; requests beyond them wait in the client.</summary>
    private const int ConnectionsPerServer = 64;

    /// <summary>
    /// A client for many concurrent requests spread round robin over <paramref name="urls"/> (one service's nodes). Its
    /// pool is bounded: in an open loop a stall would otherwise open a connection per request due meanwhile, and the
    /// new connections' cost would keep the service from catching up; with the bound, requests wait for a connection
    /// and the wait counts in their latency.
    /// </summary>
    public static HttpClient Client(IReadOnlyList<Uri> urls, string? apiKey)
    {
        var sockets = new SocketsHttpHandler { MaxConnectionsPerServer = ConnectionsPerServer, UseProxy = false };
        var client = new HttpClient(urls.Count == 1 ? sockets : new RoundRobinHandler(urls, sockets))
        {
            BaseAddress = urls[0],
            Timeout = TimeSpan.FromMinutes(10),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>
    /// Gives each of the <paramref name="users"/> users from <c>load-user-firstUser</c> on <paramref name="eventsPerUser"/>
    /// click events (batches of 100, unmeasured), so that every user of the later scenarios is an active user with a history.
    /// </summary>
    public static async Task ActivateUsersAsync(
        HttpClient client, int users, int eventsPerUser, int workers, Func<Random, string> itemId, int firstUser = 0)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var batches = Enumerable.Range(0, users * eventsPerUser).Chunk(100).ToArray();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker + 4000);
            for (var b = Interlocked.Increment(ref next); b < batches.Length; b = Interlocked.Increment(ref next))
            {
                var events = batches[b].Select(n => new { eventId = $"{run}-a-{n}", userId = UserId(firstUser + n / eventsPerUser), itemId = itemId(random), type = "click" });
                using var response = await client.PostAsJsonAsync("/v1/events", events);
                response.EnsureSuccessStatusCode();
            }
        })));
    }

    /// <summary>
    /// The ingest scenarios: an unmeasured warm-up (grain activations, JIT, as in a service that has been up), then
    /// batches of 100 events, then the same batches sent again, then single-event requests with twice the workers.
    /// </summary>
    /// <param name="serverCpu">The server side's CPU time so far, when it runs on this machine and is known.</param>
    public static async Task<IngestFigures> IngestSuiteAsync(
        HttpClient client, TimeSpan warmup, TimeSpan duration, int workers, int users, Func<Random, string> itemId, Func<TimeSpan>? serverCpu = null)
    {
        await IngestAsync(client, warmup, 100, workers, users, itemId);
        var (serverBefore, clientBefore, machineBefore, clock) =
            (serverCpu?.Invoke(), Process.GetCurrentProcess().TotalProcessorTime, MachineCpu.Busy(), Stopwatch.StartNew());
        var (batch, sent) = await IngestAsync(client, duration, 100, workers, users, itemId);
        var events = batch.EventsPerSec * clock.Elapsed.TotalSeconds;
        var machineCpuMs = (MachineCpu.Busy() - machineBefore).TotalMilliseconds / events;
        var clientCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMilliseconds / events;
        var serverCpuMs = serverCpu?.Invoke() - serverBefore is { } server ? server.TotalMilliseconds / events : (double?)null;
        var repeated = await RepeatAsync(client, duration, sent);
        var (single, _) = await IngestAsync(client, duration, 1, workers * 2, users, itemId);
        return new IngestFigures(batch, repeated, single, machineCpuMs, clientCpuMs, serverCpuMs);
    }

    /// <summary>
    /// The recommendation scenarios for users <c>load-user-0..users-1</c>: saturation (closed loop, after a warm-up),
    /// then percentiles at an offered rate of half of it (open loop), then latency at low load.
    /// </summary>
    /// <param name="serverCpu">The gateway's CPU time so far, when it runs on this machine and is known.</param>
    public static async Task<RecommendFigures> RecommendSuiteAsync(
        HttpClient client, WarmUp warmup, TimeSpan duration, int workers, int users, int lowLoadRequests, Func<TimeSpan>? serverCpu = null)
    {
        var warmedUp = await warmup.RunAsync(time => RecommendClosedAsync(client, time, workers, users));
        var (clientBefore, serverBefore) = (Process.GetCurrentProcess().TotalProcessorTime, serverCpu?.Invoke());
        var saturation = await RecommendClosedAsync(client, duration, workers, users);
        var requests = saturation.RequestsPerSec * duration.TotalSeconds;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMilliseconds / requests;
        var serverCpuMs = serverCpu?.Invoke() - serverBefore is { } server ? server.TotalMilliseconds / requests : (double?)null;
        var half = await HalfSaturationAsync(client, warmup.Minimum, duration, saturation, random => RecommendPath(random.Next(users)));
        var low = await RecommendLowLoadAsync(client, lowLoadRequests, users);
        return new RecommendFigures(saturation, half, low, clientCpu, serverCpuMs, warmedUp);
    }

    /// <summary>
    /// Closed loop: each worker sends its next batch of <paramref name="batchSize"/> click events (random users of
    /// <c>users</c>, random items of <paramref name="itemId"/>) when the previous one is answered. Returns the batches
    /// sent, which <see cref="RepeatAsync"/> can send again.
    /// </summary>
    public static async Task<(LoadResult Result, SentBatches Sent)> IngestAsync(
        HttpClient client, TimeSpan duration, int batchSize, int workers, int users, Func<Random, string> itemId)
    {
        var sent = new SentBatches(Guid.NewGuid().ToString("N")[..8], batchSize, users, itemId, new int[workers]);
        var result = await ClosedLoopAsync(duration, workers, batchSize, async (worker, n) =>
        {
            sent.PerWorker[worker] = n + 1;
            return await PostEventsAsync(client, sent.Batch(worker, n));
        });
        return (result, sent);
    }

    /// <summary>
    /// Sends <paramref name="sent"/> again, each worker cycling through its own batches: every event id is already
    /// acknowledged, so the service does all of a request's work except the durable write and the model's updates.
    /// A request counts as failed unless all its events come back as duplicates.
    /// </summary>
    public static Task<LoadResult> RepeatAsync(HttpClient client, TimeSpan duration, SentBatches sent) =>
        ClosedLoopAsync(duration, sent.PerWorker.Length, sent.BatchSize, async (worker, n) =>
        {
            using var response = await client.PostAsJsonAsync("/v1/events", sent.Batch(worker, n % Math.Max(1, sent.PerWorker[worker])));
            return response.IsSuccessStatusCode
                && await response.Content.ReadFromJsonAsync<Acknowledged>() is { Accepted: 0 } acknowledged
                && acknowledged.Duplicates == sent.BatchSize;
        });

    private static async Task<bool> PostEventsAsync(HttpClient client, object events)
    {
        using var response = await client.PostAsJsonAsync("/v1/events", events);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The answer to <c>POST /v1/events</c>.</summary>
    private sealed record Acknowledged(int Accepted, int Duplicates);

    /// <summary>
    /// <paramref name="workers"/> loops, each sending request n + 1 when request n (<paramref name="send"/> of the
    /// worker and n, true when it succeeded) is answered, until <paramref name="duration"/> has passed.
    /// </summary>
    private static async Task<LoadResult> ClosedLoopAsync(TimeSpan duration, int workers, int eventsPerRequest, Func<int, int, Task<bool>> send)
    {
        var latencies = new List<double>[workers];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var own = latencies[worker] = [];
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var started = Stopwatch.GetTimestamp();
                if (!await send(worker, n))
                {
                    Interlocked.Increment(ref failed);
                }

                own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        return LoadResult.Of(latencies.SelectMany(l => l), clock.Elapsed.TotalSeconds, eventsPerRequest, failed);
    }

    public static string UserId(int user) => $"load-user-{user}";

    /// <summary>Closed loop with <paramref name="workers"/> outstanding requests: the saturation throughput.</summary>
    public static Task<LoadResult> RecommendClosedAsync(HttpClient client, TimeSpan duration, int workers, int users)
    {
        var randoms = Enumerable.Range(0, workers).Select(worker => new Random(worker + 1000)).ToArray();
        return ClosedLoopAsync(duration, workers, 1, (worker, _) => RecommendAsync(client, randoms[worker].Next(users)));
    }

    /// <summary>
    /// Open loop: request i is due at i / rate whatever happened to the earlier ones, and its latency counts from when it
    /// was due, so that queueing in the service (or in this client) shows in the percentiles. Request i asks for
    /// <paramref name="path"/> of a random generator seeded alike in every run.
    /// </summary>
    public static async Task<LoadResult> OpenLoopAsync(HttpClient client, TimeSpan duration, double rate, Func<Random, string> path)
    {
        var random = new Random(2000);
        var total = (int)(duration.TotalSeconds * rate);
        var requests = new Task<(double Ms, bool Ok)>[total];
        var clock = Stopwatch.StartNew();
        // A thread of its own, woken every millisecond: timers of the thread pool fire late under load, and a late
        // sender would hide the service's queueing behind its own.
        var sender = new Thread(() =>
        {
            for (var sent = 0; sent < total; Thread.Sleep(1))
            {
                for (var now = clock.Elapsed.TotalSeconds; sent < total && sent / rate <= now; sent++)
                {
                    requests[sent] = TimedAsync(client, path(random), clock, sent / rate);
                }
            }
        }) { IsBackground = true };
        sender.Start();
        await Task.Run(sender.Join);

        var results = await Task.WhenAll(requests);
        return LoadResult.Of(results.Select(r => r.Ms), duration.TotalSeconds, 1, results.Count(r => !r.Ok));

        static async Task<(double, bool)> TimedAsync(HttpClient client, string path, Stopwatch clock, double due)
        {
            var ok = await GetAsync(client, path);
            return ((clock.Elapsed.TotalSeconds - due) * 1000, ok);
        }
    }

    /// <summary>
    /// The open loop of <paramref name="path"/> at half the <paramref name="saturation"/> rate, after an unmeasured
    /// warm-up at that rate: the first open-loop phase opens more connections than the closed loop, and its first second
    /// stalls where the later phases' do not.
    /// </summary>
    private static async Task<LoadResult> HalfSaturationAsync(
        HttpClient client, TimeSpan warmup, TimeSpan duration, LoadResult saturation, Func<Random, string> path)
    {
        await OpenLoopAsync(client, warmup, saturation.RequestsPerSec / 2, path);
        return await OpenLoopAsync(client, duration, saturation.RequestsPerSec / 2, path);
    }

    /// <summary>One request at a time with a pause between them: latency with nothing queued.</summary>
    public static async Task<LoadResult> RecommendLowLoadAsync(HttpClient client, int requests, int users)
    {
        var random = new Random(3000);
        var latencies = new List<double>();
        var failed = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (!await RecommendAsync(client, random.Next(users)))
            {
                failed++;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(5);
        }

        return LoadResult.Of(latencies, clock.Elapsed.TotalSeconds, 1, failed);
    }

    /// <summary>
    /// The empty request, <c>GET /health/live</c> (no grain call): its saturation rate in the closed loop of
    /// <see cref="RecommendClosedAsync"/> after a warm-up, the server's CPU per request of that loop, and the percentiles
    /// of an open loop at half of that rate, as the recommendations get: what the HTTP stack, the runtime and this client
    /// give on these cores around any work.
    /// </summary>
    public static async Task<EmptyRequestFigures> EmptyRequestAsync(
        HttpClient client, WarmUp warmup, TimeSpan duration, int workers, Func<TimeSpan> serverCpu)
    {
        const string path = "/health/live";
        var warmedUp = await warmup.RunAsync(time => ClosedLoopAsync(time, workers, 1, (_, _) => GetAsync(client, path)));
        var before = serverCpu();
        var saturation = await ClosedLoopAsync(duration, workers, 1, (_, _) => GetAsync(client, path));
        var cpuMs = (serverCpu() - before).TotalMilliseconds / (saturation.RequestsPerSec * duration.TotalSeconds);
        var half = await HalfSaturationAsync(client, warmup.Minimum, duration, saturation, _ => path);
        return new EmptyRequestFigures(cpuMs, saturation, half, warmedUp);
    }

    private static string RecommendPath(int user) => $"/v1/users/{UserId(user)}/recommendations?count=10";

    private static Task<bool> RecommendAsync(HttpClient client, int user) => GetAsync(client, RecommendPath(user));

    private static async Task<bool> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        return response.IsSuccessStatusCode;
    }
}

/// <summary>
/// The batches one ingest scenario sent (how many per worker): batch n of a worker is made again from the run id, the
/// worker and n, with the same event ids, users and items.
/// </summary>
public sealed record SentBatches(string Run, int BatchSize, int Users, Func<Random, string> ItemId, int[] PerWorker)
{
    public object[] Batch(int worker, int n)
    {
        var random = new Random(HashCode.Combine(Run, worker, n));
        return [.. Enumerable.Range(0, BatchSize).Select(i => new
        {
            eventId = $"{Run}-{BatchSize}-{worker}-{n}-{i}",
            userId = Scenarios.UserId(random.Next(Users)),
            itemId = ItemId(random),
            type = "click",
        })];
    }
}

/// <summary>
/// Durable ingest in batches of 100 and as single events, beside its ceiling: the same batches of 100 sent again, every
/// id already acknowledged, which costs the request path (HTTP, validation, grain calls) without the durable write.
/// </summary>
/// <param name="MachineCpuMsPerEvent">
/// Busy CPU time of the whole machine (all cores, every process: the server, this client, a database, other jobs) per
/// event of the batches of 100.
/// </param>
/// <param name="ClientCpuMsPerEvent">CPU time of this load client per event of the batches of 100.</param>
/// <param name="ServerCpuMsPerEvent">CPU time of the server side per event of the batches of 100, when known.</param>
public sealed record IngestFigures(
    LoadResult Batch100, LoadResult Repeated, LoadResult Single, double MachineCpuMsPerEvent, double ClientCpuMsPerEvent, double? ServerCpuMsPerEvent = null)
{
    /// <summary>Batched ingest as a share of its ceiling; none when the repeated batches all failed.</summary>
    public double? ShareOfRepeated => Repeated.EventsPerSec > 0 ? Math.Round(Batch100.EventsPerSec / Repeated.EventsPerSec, 3) : null;
}

/// <summary>Saturation throughput, percentiles at half of it (open loop), and latency at low load.</summary>
/// <param name="ClientCpuMs">CPU time of this load client per request at saturation.</param>
/// <param name="ServerCpuMs">CPU time of the gateway per request at saturation, when known.</param>
/// <param name="WarmedUp">How long the closed loop ran before it was measured (<see cref="WarmUp"/>).</param>
public sealed record RecommendFigures(
    LoadResult Saturation, LoadResult HalfSaturation, LoadResult LowLoad, double ClientCpuMs, double? ServerCpuMs, TimeSpan WarmedUp)
{
    /// <summary>
    /// Requests per second the cores could serve if the gateway and this client spent what they spent at saturation and
    /// nothing else ran: the rate's ceiling from CPU alone, when the gateway's CPU is known.
    /// </summary>
    public double? RateBoundFromCpu => ServerCpuMs is { } server ? Environment.ProcessorCount * 1000 / (server + ClientCpuMs) : null;

    public object ToJson() => new
    {
        saturationRps = Math.Round(Saturation.RequestsPerSec),
        offeredRps = Math.Round(Saturation.RequestsPerSec / 2),
        p50Ms = HalfSaturation.P50Ms,
        p99Ms = HalfSaturation.P99Ms,
        p999Ms = HalfSaturation.P999Ms,
        lowLoadP50Ms = LowLoad.P50Ms,
        saturationP50Ms = Saturation.P50Ms,
        warmUpSeconds = Math.Round(WarmedUp.TotalSeconds, 1),
        clientCpuMsPerRequest = Math.Round(ClientCpuMs, 3),
        gatewayCpuMsPerRequest = ServerCpuMs is { } server ? Math.Round(server, 3) : (double?)null,
        rateBoundFromCpu = RateBoundFromCpu is { } bound ? Math.Round(bound) : (double?)null,
        failed = Saturation.Failed + HalfSaturation.Failed + LowLoad.Failed,
    };
}

/// <summary>The empty request's ceilings: the gateway's CPU per request, its saturation rate, and its tail at half of it.</summary>
/// <param name="CpuMs">CPU time of the gateway per request at saturation.</param>
/// <param name="WarmedUp">How long the closed loop ran before it was measured (<see cref="WarmUp"/>).</param>
public sealed record EmptyRequestFigures(double CpuMs, LoadResult Saturation, LoadResult HalfSaturation, TimeSpan WarmedUp)
{
    /// <summary>Measured requests that failed (such as <c>429</c>s of the key's rate limit, which cost otherwise than an answer).</summary>
    public int Failed => Saturation.Failed + HalfSaturation.Failed;
}
