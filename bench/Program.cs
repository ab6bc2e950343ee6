using Personalization.Bench.Cli;

namespace Personalization.Bench;

/// <summary>The bench CLI's entry point.</summary>
public static class BenchProgram
{
    public static Task<int> Main(string[] args) => BenchCli.RunAsync(args);
}
