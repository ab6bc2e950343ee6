using System.Diagnostics;

namespace Personalization.Bench.Load;

/// <summary>
/// The CPU time used so far by processes of this machine that the bench did not start (a cluster's nodes and load
/// balancer, given by id), so that a run can charge the server side's CPU to the requests it served.
/// </summary>
public static class ProcessCpu
{
    /// <summary>The summed CPU time of <paramref name="processIds"/>; fails when one of them has exited.</summary>
    public static TimeSpan Total(IReadOnlyList<int> processIds)
    {
        var total = TimeSpan.Zero;
        foreach (var id in processIds)
        {
            using var process = Process.GetProcessById(id);
            total += process.TotalProcessorTime;
        }

        return total;
    }

    /// <summary>The ids not running now, to refuse them before a run starts.</summary>
    public static IEnumerable<int> Missing(IEnumerable<int> processIds) => processIds.Where(id =>
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    });
}
