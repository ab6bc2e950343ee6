using System.Globalization;
using System.Runtime.InteropServices;

namespace Personalization.Bench.Load;

/// <summary>
/// The busy CPU time of the whole machine, all cores and every process (from Linux's <c>/proc/stat</c>), so that a run
/// can tell what its own processes and its load client took from what the rest (a database, other jobs) took beside them.
/// </summary>
public static class MachineCpu
{
    /// <summary><c>_SC_CLK_TCK</c> of glibc: the unit of <c>/proc/stat</c>'s counters.</summary>
    private const int ClockTicksName = 2;

    private static readonly long _ticksPerSecond = Sysconf(ClockTicksName);

    /// <summary>Busy CPU time of all cores since boot.</summary>
    public static TimeSpan Busy() => TimeSpan.FromSeconds((double)BusyTicks(File.ReadLines("/proc/stat").First()) / _ticksPerSecond);

    /// <summary>
    /// The busy ticks of the all-cores <c>cpu</c> line of <c>/proc/stat</c>: user, nice, system, irq, softirq and steal
    /// (time the hypervisor gave to others while this machine had work). Not idle and iowait, which are waits with nothing
    /// to run, nor guest and guest_nice, which user and nice already count. Fields a kernel does not report count 0.
    /// </summary>
    public static long BusyTicks(string cpuLine)
    {
        var fields = cpuLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not ["cpu", ..])
        {
            throw new FormatException($"Not the all-cores line of /proc/stat: '{cpuLine}'.");
        }

        long Field(int index) => index < fields.Length ? long.Parse(fields[index], CultureInfo.InvariantCulture) : 0;
        const int user = 1, nice = 2, system = 3, irq = 6, softirq = 7, steal = 8;
        return Field(user) + Field(nice) + Field(system) + Field(irq) + Field(softirq) + Field(steal);
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long Sysconf(int name);
}
