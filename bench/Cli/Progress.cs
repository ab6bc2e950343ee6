using System.Diagnostics;
using Spectre.Console;

namespace Personalization.Bench.Cli;

/// <summary>
/// Live progress of a long phase on a terminal: a spinner with the phase's name and elapsed seconds, gone when the
/// phase ends. Nothing at all when the output is redirected (a file, a pipe, a test), so that reports stay clean.
/// </summary>
public static class Progress
{
    private static readonly TimeSpan _refresh = TimeSpan.FromSeconds(1);

    public static async Task<T> PhaseAsync<T>(string name, Func<Task<T>> phase)
    {
        if (Console.IsOutputRedirected)
        {
            return await phase();
        }

        return await AnsiConsole.Status().StartAsync(name, async context =>
        {
            var clock = Stopwatch.StartNew();
            var running = phase();
            while (await Task.WhenAny(running, Task.Delay(_refresh)) != running)
            {
                context.Status($"{name} ({clock.Elapsed.TotalSeconds:F0} s)");
            }

            return await running;
        });
    }

    public static Task PhaseAsync(string name, Func<Task> phase) => PhaseAsync(name, async () =>
    {
        await phase();
        return true;
    });
}
