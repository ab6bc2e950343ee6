using System.CommandLine;
using Personalization.Bench.Cli;
using Personalization.Bench.Data;
using Personalization.Bench.Learning;

namespace Personalization.Bench.Eval;

/// <summary><c>bench eval</c>: replays a data set through the real grains (in process) or a running gateway.</summary>
public static class EvalCli
{
    public static Command Command()
    {
        var data = new Option<string>("--data")
        {
            Description = "u.data or a ratings CSV; for knowledge-tracing a folder with the ASSISTments DKT split (builder_train.csv, builder_test.csv) or a split of Gervet et al. 2020 such as Statics 2011 (preprocessed_data_train.csv, preprocessed_data_test.csv).",
            Required = true,
        };
        var protocol = new Option<string>("--protocol") { Description = "How the data is split and replayed.", DefaultValueFactory = _ => Protocols.RandomSplit };
        protocol.AcceptOnlyFromAmong([.. Protocols.All, KnowledgeTracingEval.Protocol]);
        var seed = OptionValues.Int("--seed", "Seed of the split and of the model (one run).", 42, min: int.MinValue);
        var seeds = OptionValues.IntList("--seeds", "Several runs, one per seed (1,2,3); overrides --seed.");
        var json = OptionValues.JsonFile();
        var url = OptionValues.Url("--url", "A running gateway to evaluate instead of an in-process silo.");
        var apiKey = new Option<string>("--api-key") { Description = "X-Api-Key for --url." };
        var validation = new Option<bool>("--validation") { Description = "Hold out a validation part of the training data and score on it instead of the test part." };
        var trainingBatches = new Option<string>("--training-batches")
        {
            Description = "knowledge-tracing: send each training learner's answers in batches of their own (per-learner), or 1,000 at a time across learners (across-learners).",
            DefaultValueFactory = _ => "per-learner",
        };
        trainingBatches.AcceptOnlyFromAmong("per-learner", "across-learners");
        var concurrency = OptionValues.Int("--concurrency", "knowledge-tracing: test learners replayed at a time (each one's answers in order).", 1, max: 256);
        var window = OptionValues.Int("--window", "Events per window of the prequential protocol.", 10_000);
        var set = new Option<string[]>("--set")
        {
            Description = "A setting of the in-process silo, Section:Key=value (repeatable), such as Learning:Dimension=64.",
            CustomParser = result =>
            {
                foreach (var token in result.Tokens.Where(t => !t.Value.Contains('=', StringComparison.Ordinal)))
                {
                    result.AddError($"--set takes Section:Key=value, not '{token.Value}'.");
                }

                return [.. result.Tokens.Select(t => t.Value)];
            },
        };

        var command = new Command("eval", "Offline quality: replays a data set and scores the recommendations (docs/quality.md, docs/learning.md).")
        {
            data, protocol, seed, seeds, json, url, apiKey, validation, trainingBatches, concurrency, window, set,
        };
        command.SetAction(async parsed =>
        {
            var settings = parsed.GetValue(set)!.Select(s => s.Split('=', 2)).Select(kv => new KeyValuePair<string, string?>(kv[0], kv[1])).ToArray();
            var dataPath = parsed.GetValue(data)!;
            var jsonPath = parsed.GetValue(json);
            var target = parsed.GetValue(url) is { } given && !given.AbsoluteUri.EndsWith('/') ? new Uri(given.AbsoluteUri + "/") : parsed.GetValue(url);
            if (parsed.GetValue(protocol) == KnowledgeTracingEval.Protocol)
            {
                var batches = parsed.GetValue(trainingBatches) == "across-learners" ? TrainingBatches.AcrossLearners : TrainingBatches.PerLearner;
                var tracing = await KnowledgeTracingEval.RunAsync(
                    new KnowledgeTracingOptions(dataPath, parsed.GetValue(validation), settings, target, parsed.GetValue(apiKey), batches, parsed.GetValue(concurrency)), Console.Out);
                KnowledgeTracingEval.Print(tracing, Console.Out);
                if (jsonPath is not null)
                {
                    await EvalCommand.WriteJsonAsync(tracing, jsonPath);
                }

                return 0;
            }

            var options = new EvalOptions(
                dataPath,
                parsed.GetValue(protocol)!,
                parsed.GetValue(seeds) is { Length: > 0 } list ? list : [parsed.GetValue(seed)],
                jsonPath,
                target,
                parsed.GetValue(apiKey),
                parsed.GetValue(validation),
                parsed.GetValue(window),
                settings);
            var loaded = MovieLens.Load(options.DataPath);
            Console.WriteLine($"{loaded.Interactions.Count} interactions, {loaded.UserCount} users, {loaded.Items.Count} items ({loaded.Categories.Count} with categories)");
            var report = await EvalCommand.RunAsync(options, loaded, Console.Out);
            EvalCommand.Print(report, Console.Out);
            if (jsonPath is not null)
            {
                await EvalCommand.WriteJsonAsync(report, jsonPath);
            }

            return 0;
        });
        return command;
    }
}
