using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Personalization.Bench.Cli;
using Personalization.Bench.Load;

namespace Personalization.Bench.Perf;

/// <summary>Resident memory before the users came, with them active, and once they have gone idle.</summary>
public sealed record UserMemoryFigures(int Users, long BeforeUsersBytes, long WithUsersBytes, long AfterIdleBytes, TimeSpan IdleDeactivation, TimeSpan ReadAfter)
{
    public double BytesPerActiveUser => (double)(WithUsersBytes - BeforeUsersBytes) / Users;

    public double AfterIdleOverBeforeUsers => (double)AfterIdleBytes / BeforeUsersBytes;

    /// <summary>The users' part of the report's <c>memory</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["bytesPerActiveUser"] = Math.Round(BytesPerActiveUser),
        ["activeUsers"] = Users,
        ["eventsPerActiveUser"] = LoadCommand.ActivationEvents,
        ["residentBeforeUsersBytes"] = BeforeUsersBytes,
        ["residentWithUsersBytes"] = WithUsersBytes,
        ["residentAfterIdleBytes"] = AfterIdleBytes,
        ["afterIdleOverBeforeUsers"] = Math.Round(AfterIdleOverBeforeUsers, 3),
        ["idleDeactivationSeconds"] = IdleDeactivation.TotalSeconds,
        ["afterIdleReadAfterSeconds"] = Math.Round(ReadAfter.TotalSeconds),
    };
}

/// <summary>
/// Memory that follows active users, on a gateway of its own whose users go idle after a short time (the shipped
/// default is minutes): the catalog of the smallest size, then resident memory after a full GC before the users, with
/// them active (3 events each), and three idle times after their last event, when they have been deactivated and the
/// silo has given their memory back. Its own process, so that no other phase sees users deactivating.
/// </summary>
public static class UserMemory
{
    public static readonly TimeSpan IdleDeactivation = TimeSpan.FromSeconds(30);

    /// <summary>Idle times after the last event at which the memory is read: deactivation and the trim after it take a while.</summary>
    private const int IdleTimesBeforeReading = 3;

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
        var before = await gateway.ResidentAfterGcAsync();
        await Scenarios.ActivateUsersAsync(
            client, options.Users, LoadCommand.ActivationEvents, workers: 8, random => SyntheticCatalog.ItemId(random.Next(catalogSize)));
        var sinceLastEvent = Stopwatch.StartNew();
        var with = await gateway.ResidentAfterGcAsync();
        var readAfter = IdleDeactivation * IdleTimesBeforeReading;
        if (readAfter > sinceLastEvent.Elapsed)
        {
            await Task.Delay(readAfter - sinceLastEvent.Elapsed);
        }

        var after = await gateway.ResidentAfterGcAsync();
        return new UserMemoryFigures(options.Users, before, with, after, IdleDeactivation, sinceLastEvent.Elapsed);
    }

    public static void Print(TextWriter output, UserMemoryFigures figures) => output.WriteLine(
        $"memory of {figures.Users:N0} active users: {figures.BytesPerActiveUser:F0} B each; resident {figures.BeforeUsersBytes / 1e6:F0} MB before them, " +
        $"{figures.WithUsersBytes / 1e6:F0} MB with them, {figures.AfterIdleBytes / 1e6:F0} MB {figures.ReadAfter.TotalSeconds:F0} s after their last event " +
        $"(idle time {figures.IdleDeactivation.TotalSeconds:F0} s): {figures.AfterIdleOverBeforeUsers:F2}x before");
}
