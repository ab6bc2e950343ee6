using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Grains.Telemetry;
using Personalization.Grains.Users;

namespace Personalization.Silo.Memory;

/// <summary>
/// Gives the memory of deactivated users back to the operating system once many of them have gone: the runtime keeps
/// freed heap, the C allocator keeps freed native blocks and SQLite's idle connections keep their page caches, all of
/// which would hold the process at its peak after the users left. One blocking, compacting collection per mass
/// deactivation, never while users arrive.
/// </summary>
internal sealed partial class IdleMemoryTrim(SiloMetrics metrics, IOptions<UserActivationOptions> users, ILogger<IdleMemoryTrim> logger)
    : BackgroundService
{
    /// <summary>Fewer deactivated users than this are not worth a full collection.</summary>
    public const int MinimumDeactivated = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(IdleUsers.CollectionQuantum(users.Value.IdleDeactivation));
        var peak = metrics.ActiveUsers;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var active = metrics.ActiveUsers;
                peak = Math.Max(peak, active);
                // Half of the users seen at the peak have gone idle: the memory they held is garbage now.
                if (peak - active >= MinimumDeactivated && active <= peak / 2)
                {
                    Trim(peak - active);
                    peak = active;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo stops.
        }
    }

    private void Trim(long deactivated)
    {
        var before = Environment.WorkingSet;
        SqliteConnection.ClearAllPools();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            MallocTrim(0);
        }

        LogTrimmed(deactivated, before >> 20, Environment.WorkingSet >> 20);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Deactivated} idle users deactivated: resident memory trimmed from {Before} MiB to {After} MiB")]
    private partial void LogTrimmed(long deactivated, long before, long after);

    /// <summary>glibc: returns the free memory of every arena to the system.</summary>
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
