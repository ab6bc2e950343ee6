using Personalization.Bench.Load;

namespace Personalization.Tests.Bench;

/// <summary>The whole machine's busy CPU of <c>bench load</c>, read from <c>/proc/stat</c>'s all-cores line.</summary>
public sealed class MachineCpuTests
{
    [Fact]
    public void Busy_ticks_are_user_nice_system_irq_softirq_and_steal_not_idle_iowait_or_guest()
    {
        //           user nice system idle  iowait irq softirq steal guest guest_nice
        const string line = "cpu  1000 20 300 50000 7000 4 50 6 900 80";

        Assert.Equal(1000 + 20 + 300 + 4 + 50 + 6, MachineCpu.BusyTicks(line));
    }

    [Fact]
    public void A_kernel_without_the_later_fields_counts_them_as_0()
    {
        Assert.Equal(1000 + 20 + 300 + 4 + 50, MachineCpu.BusyTicks("cpu 1000 20 300 50000 7000 4 50"));
    }

    [Theory]
    [InlineData("cpu0 1000 20 300 50000 7000 4 50 6 0 0")]
    [InlineData("intr 123 4 5")]
    public void A_line_other_than_the_all_cores_one_is_refused(string line)
    {
        Assert.Throws<FormatException>(() => MachineCpu.BusyTicks(line));
    }

    [Fact]
    public void This_machine_is_busy_for_some_time_and_not_longer_than_all_cores_since_boot()
    {
        var uptime = TimeSpan.FromSeconds(double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

        var cores = File.ReadLines("/proc/stat").Count(line => line.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(line[3]));

        var busy = MachineCpu.Busy();

        Assert.InRange(busy, TimeSpan.FromTicks(1), uptime * cores * 1.01);
    }
}
