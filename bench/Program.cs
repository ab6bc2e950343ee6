using System.Globalization;
using Personalization.Bench.Data;
using Personalization.Bench.Eval;
using Personalization.Bench.Load;
using Personalization.Bench.Perf;

namespace Personalization.Bench;

/// <summary>The bench CLI's entry point.</summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["load", .. var loadArguments])
        {
            return await LoadCommand.RunAsync(loadArguments);
        }

        if (args is ["perf", .. var perfArguments])
        {
            return await PerfCommand.RunAsync(perfArguments);
        }

        // bench eval --data PATH [--protocol random-split|prequential|leave-one-out] [--seed N | --seeds 1,2,3] [--json FILE]
        //            [--url URL [--api-key KEY]] [--validation] [--window N] [--set Section:Key=value ...]
        if (args.Length == 0 || args[0] != "eval")
        {
            Console.Error.WriteLine("usage: bench eval --data PATH [--protocol random-split|prequential|leave-one-out] [--seed N] [--seeds 1,2,3] [--json FILE] [--url URL] [--api-key KEY] [--validation] [--window N] [--set Learning:Key=value]");
            return 2;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var validation = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--validation":
                    validation = true;
                    break;
                case "--set" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [var key, var value]:
                    settings[key] = value;
                    i++;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length:
                    values[option[2..]] = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unexpected argument '{args[i]}'");
                    return 2;
            }
        }

        if (!values.TryGetValue("data", out var dataPath))
        {
            Console.Error.WriteLine("--data PATH is required (u.data or a ratings CSV).");
            return 2;
        }

        var seeds = values.TryGetValue("seeds", out var list)
            ? [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
            : new[] { int.Parse(values.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture) };
        var options = new EvalOptions(
            dataPath,
            values.GetValueOrDefault("protocol", Protocols.RandomSplit),
            seeds,
            values.GetValueOrDefault("json"),
            values.TryGetValue("url", out var url) ? new Uri(url.EndsWith('/') ? url : url + "/") : null,
            values.GetValueOrDefault("api-key"),
            validation,
            int.Parse(values.GetValueOrDefault("window", "10000"), CultureInfo.InvariantCulture),
            [.. settings]);

        var data = MovieLens.Load(options.DataPath);
        Console.WriteLine($"{data.Interactions.Count} interactions, {data.UserCount} users, {data.Items.Count} items ({data.Categories.Count} with categories)");
        var report = await EvalCommand.RunAsync(options, data, Console.Out);
        EvalCommand.Print(report, Console.Out);
        if (options.JsonPath is { } json)
        {
            await EvalCommand.WriteJsonAsync(report, json);
        }

        return 0;
    }
}
