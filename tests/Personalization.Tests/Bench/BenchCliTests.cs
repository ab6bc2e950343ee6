using System.Diagnostics;
using Personalization.Bench.Cli;

namespace Personalization.Tests.Bench;

/// <summary>The bench CLI as a user runs it: the built Bench.dll in a process of its own.</summary>
public sealed class BenchCliTests
{
    public static TheoryData<string> Commands => [.. BenchCli.Root().Subcommands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_of_each_command_lists_every_option_and_exits_0(string name)
    {
        var command = BenchCli.Root().Subcommands.Single(c => c.Name == name);

        var (exitCode, output, _) = await RunAsync(name, "--help");

        Assert.Equal(0, exitCode);
        Assert.NotEmpty(command.Options);
        Assert.All(command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)), option => Assert.Contains(option, output));
    }

    [Theory]
    [InlineData("--no-such-option", "perf", "--no-such-option")]
    [InlineData("'abc'", "perf", "--shards", "abc")]
    [InlineData("--shards must be between 1 and", "perf", "--shards", "0")]
    [InlineData("--seconds must be between 1 and 300", "load", "--url", "http://127.0.0.1:1", "--seconds", "0")]
    [InlineData("'not-an-address'", "load", "--url", "not-an-address")]
    [InlineData("'not-an-address'", "load", "--url", "http://127.0.0.1:1,not-an-address")]
    [InlineData("'ftp://127.0.0.1:2'", "load", "--url", "http://127.0.0.1:1", "--url", "ftp://127.0.0.1:2")]
    [InlineData("'1,x'", "load", "--url", "http://127.0.0.1:1", "--pids", "1,x")]
    [InlineData("'--url' is required", "load")]
    [InlineData("'no-such-protocol'", "eval", "--data", "u.data", "--protocol", "no-such-protocol")]
    [InlineData("'1,x'", "eval", "--data", "u.data", "--seeds", "1,x")]
    [InlineData("'no-equals-sign'", "eval", "--data", "u.data", "--set", "no-equals-sign")]
    [InlineData("--target must be between", "simulate", "--target", "2")]
    [InlineData("'no-such-command'", "no-such-command")]
    public async Task A_bad_argument_exits_2_with_one_line_naming_it(string named, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("bench: ", line);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bench.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
