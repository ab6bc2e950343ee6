using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Personalization.Bench.Cli;
using Personalization.Bench.Load;

namespace Personalization.Bench.Perf;

/// <summary>
/// Memory before any user came, after a warm-up set of users, with the measured users active too, and once they have
/// all gone idle.
/// </summary>
public sealed record UserMemoryFigures(
    int WarmupUsers, int Users, MemoryReading BeforeUsers, MemoryReading AfterWarmup, MemoryReading WithUsers, long AfterIdleBytes,
    TimeSpan IdleDeactivation, TimeSpan ReadAfter)
{
    /// <summary>Growth per measured user from the reading after the warm-up users: what one more active user costs.</summary>
    public double BytesPerActiveUser => PerUser(r => r.ResidentBytes);

    /// <summary>
    /// Growth per user from before any user, warm-up users included: with the one-time costs of the users' path (code
    /// compiled on it, thread-pool growth, caches' first allocations) charged to the users.
    /// </summary>
    public double BytesPerActiveUserFromCold => (double)(WithUsers.ResidentBytes - BeforeUsers.ResidentBytes) / (WarmupUsers + Users);

    /// <summary>Per measured user, as <see cref="BytesPerActiveUser"/>, of a part of the reading.</summary>
    public double PerUser(Func<MemoryReading, long> part) => (double)(part(WithUsers) - part(AfterWarmup)) / Users;

    public double AfterIdleOverBeforeUsers => (double)AfterIdleBytes / BeforeUsers.ResidentBytes;

    /// <summary>The users' part of the report's <c>memory</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["bytesPerActiveUser"] = Math.Round(BytesPerActiveUser),
        ["bytesPerActiveUserFromCold"] = Math.Round(BytesPerActiveUserFromCold),
        // Where a measured user's resident bytes are: objects alive, and all the GC keeps committed; the rest is native.
        ["gcLiveBytesPerActiveUser"] = Math.Round(PerUser(r => r.GcLiveBytes)),
        ["gcCommittedBytesPerActiveUser"] = Math.Round(PerUser(r => r.GcCommittedBytes)),
        ["activeUsers"] = Users,
        ["warmupUsers"] = WarmupUsers,
        ["eventsPerActiveUser"] = LoadCommand.ActivationEvents,
        ["residentBeforeUsersBytes"] = BeforeUsers.ResidentBytes,
        ["residentAfterWarmupUsersBytes"] = AfterWarmup.ResidentBytes,
        ["residentWithUsersBytes"] = WithUsers.ResidentBytes,
        ["residentAfterIdleBytes"] = AfterIdleBytes,
        ["afterIdleOverBeforeUsers"] = Math.Round(AfterIdleOverBeforeUsers, 3),
        ["idleDeactivationSeconds"] = IdleDeactivation.TotalSeconds,
        ["afterIdleReadAfterSeconds"] = Math.Round(ReadAfter.TotalSeconds),
    };
}

/// <summary>
/// Memory that follows active users, on a gateway of its own whose users go idle after a short time (the shipped
/// default is minutes): the catalog of the smallest size, then resident memory after a full GC before any user, after a
/// warm-up set of users, with the measured users active too (3 events each, every user), and three idle times after
/// their last event, when they have been deactivated and the silo has given their memory back. Its own process, so that
/// no other phase sees users deactivating.
/// </summary>
public static class UserMemory
{
    public static readonly TimeSpan IdleDeactivation = TimeSpan.FromSeconds(30);

    /// <summary>Idle times after the last event at which the memory is read: deactivation and the trim after it take a while.</summary>
    private const int IdleTimesBeforeReading = 3;

    /// <summary>
    /// Warm-up users per measured user: they take the one-time costs of the users' path (JIT, thread-pool growth, caches'
    /// first allocations), which would otherwise be charged to the measured users and swing with the run.
    /// </summary>
    private const double WarmupShare = 0.1;

    public static async Task<UserMemoryFigures> MeasureAsync(PerfOptions options, int catalogSize)
    {
        var settings = new Dictionary<string, string>
        {
            ["Catalog:ShardCount"] = options.Shards.ToString(CultureInfo.InvariantCulture),
            ["Users:IdleDeactivation"] = IdleDeactivation.ToString("c", CultureInfo.InvariantCulture),
        };
        await using var gateway = await GatewayProcess.StartAsync(options.Gateway, settings);
        using var client = Scenarios.Client(gateway.Url, gateway.ApiKey);
        await PerfCommand.LoadItemsAsync(client, 0, catalogSize);
        string Item(Random random) => SyntheticCatalog.ItemId(random.Next(catalogSize));
        var before = await gateway.MemoryAfterGcAsync();
        // Ids after the measured users' (load-user-0..users-1), so that the two sets are distinct.
        var warmupUsers = (int)Math.Ceiling(options.Users * WarmupShare);
        await Scenarios.ActivateUsersAsync(client, warmupUsers, LoadCommand.ActivationEvents, workers: 8, Item, firstUser: options.Users);
        var afterWarmup = await gateway.MemoryAfterGcAsync();
        await Scenarios.ActivateUsersAsync(client, options.Users, LoadCommand.ActivationEvents, workers: 8, Item);
        var sinceLastEvent = Stopwatch.StartNew();
        var with = await gateway.MemoryAfterGcAsync();
        var readAfter = IdleDeactivation * IdleTimesBeforeReading;
        if (readAfter > sinceLastEvent.Elapsed)
        {
            await Task.Delay(readAfter - sinceLastEvent.Elapsed);
        }

        var after = await gateway.ResidentAfterGcAsync();
        return new UserMemoryFigures(warmupUsers, options.Users, before, afterWarmup, with, after, IdleDeactivation, sinceLastEvent.Elapsed);
    }

    public static void Print(TextWriter output, UserMemoryFigures figures) => output.WriteLine(
        $"memory of {figures.Users:N0} active users after {figures.WarmupUsers:N0} warm-up users: {figures.BytesPerActiveUser:F0} B each " +
        $"(live objects {figures.PerUser(r => r.GcLiveBytes):F0} B, GC committed {figures.PerUser(r => r.GcCommittedBytes):F0} B; " +
        $"{figures.BytesPerActiveUserFromCold:F0} B from before any user); resident {figures.BeforeUsers.ResidentBytes / 1e6:F0} MB before any user, " +
        $"{figures.AfterWarmup.ResidentBytes / 1e6:F0} MB after the warm-up users, {figures.WithUsers.ResidentBytes / 1e6:F0} MB with all, " +
        $"{figures.AfterIdleBytes / 1e6:F0} MB {figures.ReadAfter.TotalSeconds:F0} s after the last event " +
        $"(idle time {figures.IdleDeactivation.TotalSeconds:F0} s): {figures.AfterIdleOverBeforeUsers:F2}x before any user");
}
