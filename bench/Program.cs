using System.Globalization;
using Personalization.Bench.Data;
using Personalization.Bench.Eval;
using Personalization.Bench.Learning;
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

        if (args is [LearnerSimulation.Command, .. var simulateArguments])
        {
            return await SimulateAsync(simulateArguments);
        }

        // bench eval --data PATH [--protocol random-split|prequential|leave-one-out|knowledge-tracing] [--seed N | --seeds 1,2,3] [--json FILE]
        //            [--url URL [--api-key KEY]] [--validation] [--window N] [--set Section:Key=value ...]
        if (args.Length == 0 || args[0] != "eval")
        {
            Console.Error.WriteLine("usage: bench eval --data PATH [--protocol random-split|prequential|leave-one-out|knowledge-tracing] [--seed N] [--seeds 1,2,3] [--json FILE] [--url URL] [--api-key KEY] [--validation] [--window N] [--set Learning:Key=value]");
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

        if (values.GetValueOrDefault("protocol") == KnowledgeTracingEval.Protocol)
        {
            // PATH is the folder of the ASSISTments DKT split (builder_train.csv, builder_test.csv).
            var tracing = await KnowledgeTracingEval.RunAsync(dataPath, validation, [.. settings], Console.Out);
            KnowledgeTracingEval.Print(tracing, Console.Out);
            if (values.GetValueOrDefault("json") is { } tracingJson)
            {
                await EvalCommand.WriteJsonAsync(tracing, tracingJson);
            }

            return 0;
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

    /// <summary>bench simulate [--seeds 1,...,10] [--learners 30] [--skills 8] [--exercises 20] [--max-answers 2000] [--target 0.7] [--json FILE]</summary>
    private static async Task<int> SimulateAsync(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"unexpected argument '{args[i]}'; usage: bench simulate [--seeds 1,2,3] [--learners N] [--skills N] [--exercises N] [--max-answers N] [--target P] [--json FILE]");
                return 2;
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new SimulationOptions(
            [.. values.GetValueOrDefault("seeds", "1,2,3,4,5,6,7,8,9,10").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
            Int("learners", 30),
            Int("skills", 8),
            Int("exercises", 20),
            Int("max-answers", 2000),
            double.Parse(values.GetValueOrDefault("target", "0.7"), CultureInfo.InvariantCulture));
        var report = await LearnerSimulation.RunAsync(options, Console.Out);
        LearnerSimulation.Print(report, Console.Out);
        if (values.GetValueOrDefault("json") is { } json)
        {
            await EvalCommand.WriteJsonAsync(report, json);
        }

        return 0;
    }
}
