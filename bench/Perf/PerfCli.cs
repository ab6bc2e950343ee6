using System.CommandLine;
using Personalization.Bench.Cli;

namespace Personalization.Bench.Perf;

/// <summary>What <c>bench perf</c> was asked to do.</summary>
public sealed record PerfOptions(
    bool Quick, bool MemoryOnly, string? JsonPath, int Shards, string Gateway, TimeSpan Warmup, TimeSpan Seconds, int Users, int Queries, int LowLoadRequests);

/// <summary><c>bench perf</c>: this machine's ceilings, then a standalone gateway of the Release build under load.</summary>
public static class PerfCli
{
    public static Command Command()
    {
        var quick = new Option<bool>("--quick") { Description = "Shorter scenarios and fewer users: a check in a few minutes rather than a measurement." };
        var memoryOnly = new Option<bool>("--memory-only")
        {
            Description = "Only the memory of active users (resident bytes per user, and after they went idle): about a minute and a half rather than the whole run.",
        };
        var json = OptionValues.JsonFile();
        // One shard per core scans a large catalog on every core at once; more shards only add fan-out calls
        // (measured: docs/performance.md).
        var shards = OptionValues.Int("--shards", "Catalog shards of the gateway (default: one per core).", Environment.ProcessorCount, max: 1024);
        var gateway = new Option<string>("--gateway")
        {
            Description = "The gateway to measure (default: the Release build of this checkout).",
            DefaultValueFactory = _ => DefaultGateway(),
        };

        var command = new Command("perf", "Ceilings of this machine, then a standalone gateway loaded with 10k, 100k and 1M items (docs/performance.md).")
        {
            quick, memoryOnly, json, shards, gateway,
        };
        command.SetAction(parsed =>
        {
            var isQuick = parsed.GetValue(quick);
            return PerfCommand.RunAsync(new PerfOptions(
                isQuick,
                parsed.GetValue(memoryOnly),
                parsed.GetValue(json),
                parsed.GetValue(shards),
                parsed.GetValue(gateway)!,
                TimeSpan.FromSeconds(isQuick ? 2 : 5),
                TimeSpan.FromSeconds(isQuick ? 3 : 10),
                isQuick ? 5_000 : 20_000,
                isQuick ? 20 : 100,
                isQuick ? 100 : 500));
        });
        return command;
    }

    /// <summary>The Release build of the gateway in the checkout this bench runs from.</summary>
    private static string DefaultGateway()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Orleans.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? ".", "Gateway", "bin", "Release", "net10.0", "Gateway.dll");
    }
}
