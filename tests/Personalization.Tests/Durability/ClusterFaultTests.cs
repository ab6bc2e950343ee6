using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Personalization.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Personalization.Tests.Durability;

/// <summary>
/// Real processes on PostgreSQL under load, in the cluster's shape: nodes (gateway and silo in one process) behind the
/// load balancer, which the clients talk to. A node killed with SIGKILL and restarted, and the database stopped for
/// 10 s. Clients retry every failed batch with the same event ids; afterwards no acknowledged event is lost or doubled.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    private const int BatchSize = 100;
    private static readonly TimeSpan _deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_node_killed_mid_run_loses_no_acknowledged_event()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var silos = (await Task.WhenAll(TestHost.NodeAsync(database), TestHost.NodeAsync(database), TestHost.NodeAsync(database))).ToList();
        await using var gateway = await TestHost.LoadBalancerAsync(silos);
        using var observer = await ClusterObserver.ThroughMembershipAsync(database);
        try
        {
            const int users = 300;
            var load = new Load(gateway.Client(), users);
            var clock = Stopwatch.StartNew();
            TimeSpan? killedAt = null;
            var running = load.RunAsync(until: () => clock.Elapsed > killedAt + TimeSpan.FromSeconds(15) && load.Acknowledged >= 10_000);

            // Kill the silo holding the most users once enough of them are placed, however slowly a busy machine starts the load.
            var (victim, usersOnVictim) = await BusiestSiloAsync(observer, silos, atLeast: 20, clock);
            await victim.KillAsync();
            killedAt = clock.Elapsed;
            var declaring = observer.DeclaredDeadAsync(victim.SiloPort!.Value, clock, _deadline);
            var watching = ServedWatch.RunAsync(gateway.BaseAddress!, [.. Enumerable.Range(0, users).Select(u => $"user-{u}")], clock, stop: () => running.IsCompleted);
            silos.Remove(victim);
            silos.Add(await TestHost.NodeAsync(database));
            output.WriteLine($"killed the node holding {usersOnVictim.Count} of the test's users at {killedAt.Value.TotalSeconds:F1} s; restarted it at {clock.Elapsed.TotalSeconds:F1} s");

            await running;
            var (watch, everyoneServedAt) = await watching;
            var declaredDead = await declaring - killedAt.Value;
            var servedAgain = (everyoneServedAt ?? killedAt.Value) - killedAt.Value;
            await load.VerifyAsync(clock);
            var membership = await observer.SilosAsync();
            output.WriteLine($"acknowledged {load.Acknowledged} events in {load.Batches} batches over {clock.Elapsed.TotalSeconds:F1} s; " +
                $"retried batches {load.Retries}; lost 0, doubled 0; declared dead {declaredDead.TotalSeconds:F1} s and every user served again " +
                $"{servedAgain.TotalSeconds:F1} s after the kill ({watch.UsersFailed} of {users} users failed a read in {watch.Passes} passes " +
                $"over all of them, the longest {watch.LongestPass.TotalSeconds:F1} s); {Suspicions(membership, victim.SiloPort.Value)}");
            Assert.DoesNotContain(membership, m => m.Port != victim.SiloPort && m.Status == SiloStatus.Dead);
            Assert.Contains(usersOnVictim, load.UsersWithEvents.Contains);
            Assert.True(load.Acknowledged >= 10_000);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task While_the_database_is_down_events_get_503_and_within_15_s_of_its_return_2xx_again()
    {
        await using var server = PostgresServer.Start();
        var database = await server.CreateDatabaseAsync();
        await using var node1 = await TestHost.NodeAsync(database);
        await using var node2 = await TestHost.NodeAsync(database);
        await using var gateway = await TestHost.LoadBalancerAsync([node1, node2]);
        var load = new Load(gateway.Client(), users: 100);
        var clock = Stopwatch.StartNew();
        TimeSpan stoppedAt = default, resumedAt = default;
        var outage = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            server.Stop();
            stoppedAt = clock.Elapsed;
            // One request of our own sent while the database is down, however the load's requests are timed on a busy machine.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await load.ProbeAsync(clock);
            await Task.Delay(stoppedAt + TimeSpan.FromSeconds(10) - clock.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            resumedAt = clock.Elapsed;
            server.Resume();
        });

        await load.RunAsync(until: () => resumedAt != default && clock.Elapsed > resumedAt + TimeSpan.FromSeconds(20), clock);
        await outage;
        await load.VerifyAsync(clock);
        using var observer = await ClusterObserver.ThroughMembershipAsync(database);
        var membership = await observer.SilosAsync();

        // Every request sent and answered while the database was down (the probe at least): none acknowledged, each 503.
        // One sent during the outage but answered after the return may be retried onto the database again and succeed.
        var duringOutage = load.Responses.Where(r => r.SentAt > stoppedAt && r.AnsweredAt < resumedAt).ToList();
        var firstSuccessAfter = load.Responses.Where(r => r.SentAt > resumedAt && r.Status is >= 200 and < 300).Min(r => r.AnsweredAt);
        output.WriteLine($"database down {stoppedAt.TotalSeconds:F1}-{resumedAt.TotalSeconds:F1} s: {duringOutage.Count} requests sent meanwhile, slowest answer " +
            $"{duringOutage.Max(r => r.AnsweredAt - r.SentAt).TotalSeconds:F1} s " +
            $"[{string.Join(", ", duringOutage.GroupBy(r => r.Status).Select(g => $"{g.Key}: {g.Count()}"))}]; first 2xx " +
            $"{(firstSuccessAfter - resumedAt).TotalSeconds:F1} s after its return; acknowledged {load.Acknowledged}, retried {load.Retries}, lost 0; " +
            Suspicions(membership, victimPort: null));
        Assert.All(membership, m => Assert.Equal(SiloStatus.Active, m.Status));
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, r => Assert.Equal(503, r.Status));
        Assert.True(firstSuccessAfter - resumedAt < TimeSpan.FromSeconds(15));
    }

    /// <summary>The votes against silos other than <paramref name="victimPort"/>: each is a live silo suspected.</summary>
    private static string Suspicions(List<(int Port, SiloStatus Status, int Votes)> membership, int? victimPort) =>
        $"suspicion votes against live silos: {membership.Where(m => m.Port != victimPort).Sum(m => m.Votes)}";

    /// <summary>
    /// The silo holding the most user grains, once it holds at least <paramref name="atLeast"/>, and those users; fails
    /// when that does not happen within the load's deadline.
    /// </summary>
    private static async Task<(TestHost Silo, HashSet<string> Users)> BusiestSiloAsync(
        ClusterObserver observer, List<TestHost> silos, int atLeast, Stopwatch clock)
    {
        while (true)
        {
            var placement = await observer.UserPlacementAsync();
            var busiest = silos.MaxBy(s => placement.Count(p => p.Port == s.SiloPort))!;
            var users = placement.Where(p => p.Port == busiest.SiloPort).Select(p => p.UserId).ToHashSet();
            if (users.Count >= atLeast)
            {
                return (busiest, users);
            }

            Assert.True(clock.Elapsed < _deadline, $"only {users.Count} users were placed on the busiest silo");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// Clients sending batches of unique events over many users, each failed batch retried with the same ids until it
    /// is acknowledged; then a check that every user holds exactly the events acknowledged for it.
    /// </summary>
    private sealed class Load(HttpClient client, int users)
    {
        private const int Workers = 4;
        private readonly ConcurrentDictionary<string, int> _acknowledgedPerUser = new();
        private int _acknowledged;
        private int _retries;
        private int _batches;

        public int Acknowledged => _acknowledged;

        public int Retries => _retries;

        public int Batches => _batches;

        public ConcurrentBag<(TimeSpan SentAt, TimeSpan AnsweredAt, int Status)> Responses { get; } = [];

        public ICollection<string> UsersWithEvents => _acknowledgedPerUser.Keys;

        public async Task RunAsync(Func<bool> until, Stopwatch? clock = null)
        {
            clock ??= Stopwatch.StartNew();
            var prefix = Guid.NewGuid().ToString("N")[..8];
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                var random = new Random(worker);
                for (var n = 0; !until(); n++)
                {
                    Assert.True(clock.Elapsed < _deadline, "the load did not finish in time");
                    var batch = Enumerable.Range(0, BatchSize).Select(i => new
                    {
                        eventId = $"{prefix}-{worker}-{n}-{i}",
                        userId = $"user-{random.Next(users)}",
                        itemId = $"item-{random.Next(500)}",
                        type = "click",
                    }).ToArray();
                    while (!await SendAsync(batch, clock))
                    {
                        Interlocked.Increment(ref _retries);
                        await Task.Delay(200);
                    }

                    Interlocked.Add(ref _acknowledged, batch.Length);
                    Interlocked.Increment(ref _batches);
                    foreach (var e in batch)
                    {
                        _acknowledgedPerUser.AddOrUpdate(e.userId, 1, (_, count) => count + 1);
                    }
                }
            })));
        }

        /// <summary>Sends one event for a user of its own (never counted as acknowledged): its answer joins <see cref="Responses"/>.</summary>
        public Task ProbeAsync(Stopwatch clock) =>
            SendAsync([new { eventId = Guid.NewGuid().ToString("N"), userId = "probe", itemId = "item-0", type = "click" }], clock);

        /// <summary>Waits until every user answers with exactly its acknowledged events.</summary>
        public async Task VerifyAsync(Stopwatch clock)
        {
            var start = clock.Elapsed;
            foreach (var (user, expected) in _acknowledgedPerUser)
            {
                while (true)
                {
                    Assert.True(clock.Elapsed - start < _deadline, $"user {user} was not served in time");
                    using var response = await client.GetAsync($"/v1/users/{user}");
                    if (response.IsSuccessStatusCode)
                    {
                        var profile = await response.Content.ReadFromJsonAsync<Profile>(ApiClient.Json);
                        Assert.Equal(expected, profile!.InteractionCount);
                        break;
                    }

                    await Task.Delay(200);
                }
            }
        }

        private async Task<bool> SendAsync(object[] batch, Stopwatch clock)
        {
            var sentAt = clock.Elapsed;
            try
            {
                using var response = await client.PostAsJsonAsync("/v1/events", batch);
                Responses.Add((sentAt, clock.Elapsed, (int)response.StatusCode));
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }

                var result = await response.Content.ReadFromJsonAsync<IngestResult>(ApiClient.Json);
                // A retried batch may have been applied before its answer was lost: it then counts as duplicates.
                Assert.Equal(batch.Length, result!.Accepted + result.Duplicates);
                return true;
            }
            catch (HttpRequestException)
            {
                Responses.Add((sentAt, clock.Elapsed, 0));
                return false;
            }
            catch (TaskCanceledException)
            {
                Responses.Add((sentAt, clock.Elapsed, 0));
                return false;
            }
        }

        private sealed record IngestResult(int Accepted, int Duplicates);

        private sealed record Profile(long InteractionCount);
    }
}
