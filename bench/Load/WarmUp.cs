using System.Diagnostics;

namespace Personalization.Bench.Load;

/// <summary>
/// The unmeasured warm-up before a closed loop is measured: at least <see cref="Minimum"/>, then on a second at a time
/// while the server's JIT compiler still works, at most <see cref="Longest"/> in all. Tiered compilation recompiles the
/// code a loop runs only after that code has run a while; a service that has been up runs it compiled, so a
/// measurement that began meanwhile would charge the compiler's CPU and the slower first code to the requests.
/// </summary>
/// <param name="JitTime">The server's JIT time so far, when the bench can read it (the gateway <c>bench perf</c> starts).</param>
public sealed record WarmUp(TimeSpan Minimum, Func<Task<TimeSpan>>? JitTime = null)
{
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>
    /// JIT time within a second of warm-up below which the loop's code counts as compiled: 2% of a core, where the
    /// server under load uses most of the cores (now and then a method is still promoted long after the start).
    /// </summary>
    public static readonly TimeSpan QuietJit = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="loop"/> (the scenario's loop for the time given) as long as the warm-up lasts; returns how long that was.</summary>
    public async Task<TimeSpan> RunAsync(Func<TimeSpan, Task> loop)
    {
        var clock = Stopwatch.StartNew();
        await loop(Minimum);
        if (JitTime is null)
        {
            return clock.Elapsed;
        }

        var second = TimeSpan.FromSeconds(1);
        var before = await JitTime();
        while (clock.Elapsed + second <= Longest)
        {
            await loop(second);
            var now = await JitTime();
            if (now - before < QuietJit)
            {
                break;
            }

            before = now;
        }

        return clock.Elapsed;
    }
}
