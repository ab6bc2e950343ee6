using System.CommandLine;
using Personalization.Bench.Cli;

namespace Personalization.Bench.Load;

/// <summary><c>bench load</c>: the scenarios of <c>bench perf</c> against a gateway that is already running.</summary>
public static class LoadCli
{
    public static Command Command()
    {
        var url = OptionValues.Urls("--url",
            "The gateway on this machine, such as http://127.0.0.1:5000; several (repeated or comma-separated), such as a cluster's nodes, share the requests round robin.");
        url.Required = true;
        var pids = OptionValues.IntList("--pids",
            "Comma-separated ids of the server's processes on this machine (nodes, load balancer): their CPU time per event and per request is reported.", []);
        var seconds = OptionValues.Int("--seconds", "Measured seconds of each scenario.", 10, max: 300);
        var warmup = OptionValues.Int("--warmup", "Unmeasured seconds before each scenario.", 10, min: 0, max: 300);
        var concurrency = OptionValues.Int("--concurrency", "Concurrent ingest requests (recommendations use twice as many).", 8, max: 256);
        var users = OptionValues.Int("--users", "Users the scenarios create and then ask recommendations for.", 10_000);
        var items = OptionValues.Int("--items", "Distinct item ids the events name.", 1_000);
        var apiKey = new Option<string>("--api-key") { Description = "X-Api-Key with the ingest and read roles (admin)." };
        var json = OptionValues.JsonFile();

        var command = new Command("load", "Ingest and recommendation load against a running gateway on this machine (loopback only).")
        {
            url, pids, seconds, warmup, concurrency, users, items, apiKey, json,
        };
        command.SetAction(parsed => LoadCommand.RunAsync(new LoadOptions(
            parsed.GetValue(url)!,
            parsed.GetValue(pids)!,
            TimeSpan.FromSeconds(parsed.GetValue(seconds)),
            TimeSpan.FromSeconds(parsed.GetValue(warmup)),
            parsed.GetValue(concurrency),
            parsed.GetValue(users),
            parsed.GetValue(items),
            parsed.GetValue(apiKey),
            parsed.GetValue(json))));
        return command;
    }
}
