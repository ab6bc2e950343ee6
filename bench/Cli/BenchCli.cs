using System.CommandLine;
using Personalization.Bench.Eval;
using Personalization.Bench.Learning;
using Personalization.Bench.Load;
using Personalization.Bench.Perf;

namespace Personalization.Bench.Cli;

/// <summary>
/// The one parser of the bench: a command per measurement, <c>--help</c> on each, and a bad argument answered with one
/// line on stderr and exit code 2 (usage error), never a stack trace.
/// </summary>
public static class BenchCli
{
    public const int UsageError = 2;

    public static RootCommand Root() => new("Measures the personalization service: quality, learning, load and performance.")
    {
        EvalCli.Command(),
        SimulateCli.Command(),
        LoadCli.Command(),
        PerfCli.Command(),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Root().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            var helpCommand = command is RootCommand ? "bench --help" : $"bench {command.Name} --help";
            // One line, even for several errors and the parser's own multi-line messages (such as the allowed values).
            var message = string.Join(' ', parsed.Errors.SelectMany(e => e.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)));
            Console.Error.WriteLine($"bench: {message} (see {helpCommand})");
            return UsageError;
        }

        return await parsed.InvokeAsync();
    }
}
