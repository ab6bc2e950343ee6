using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Personalization.Bench.Cli;
using Personalization.Bench.Data;
using Personalization.Model;

namespace Personalization.Bench.Eval;

/// <summary>What <c>bench eval</c> was asked to do.</summary>
public sealed record EvalOptions(
    string DataPath,
    string Protocol,
    IReadOnlyList<int> Seeds,
    string? JsonPath,
    Uri? Url,
    string? ApiKey,
    bool Validation,
    int Window,
    IReadOnlyList<KeyValuePair<string, string?>> Settings);

/// <summary>The report of <c>bench eval</c>, in the JSON shape docs/quality.md describes (plus run details).</summary>
public sealed record EvalReport(
    string Protocol,
    int Passes,
    string Data,
    string Split,
    int[] Seeds,
    string Target,
    int Lists,
    double Seconds,
    MetricSet Service,
    MetricSet Popularity,
    MetricSet? ServiceStd,
    MetricSet? PopularityStd,
    IReadOnlyList<WindowPoint>? Window,
    IReadOnlyDictionary<string, string?> Settings);

public static class EvalCommand
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<EvalReport> RunAsync(EvalOptions options, DataSet data, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var runs = new List<RunResult>();
        foreach (var seed in options.Seeds)
        {
            var started = clock.Elapsed;
            await using var target = options.Url is { } url
                ? HttpTarget.Create(url, options.ApiKey)
                : (IRecommenderTarget)await InProcessTarget.StartAsync(options.Settings, seed);
            var run = await Progress.PhaseAsync($"seed {seed}: {options.Protocol}", () => options.Protocol switch
            {
                Protocols.RandomSplit => Protocols.RandomSplitAsync(data, target, seed, options.Validation),
                Protocols.Prequential => Protocols.PrequentialAsync(data, target, options.Window, options.Validation),
                Protocols.LeaveOneOut => Protocols.LeaveOneOutAsync(data, target, seed),
                _ => throw new ArgumentException($"Unknown protocol '{options.Protocol}'; use one of: {string.Join(", ", Protocols.All)}."),
            });
            runs.Add(run);
            log.WriteLine(FormattableString.Invariant(
                $"seed {seed}: service P@10 {run.Service.PrecisionAt10:F4} NDCG@10 {run.Service.NdcgAt10:F4} HR@10 {run.Service.HitRateAt10:F4} | popularity P@10 {run.Popularity.PrecisionAt10:F4} HR@10 {run.Popularity.HitRateAt10:F4} ({(clock.Elapsed - started).TotalSeconds:F0} s)"));
        }

        var several = runs.Count > 1;
        return new EvalReport(
            options.Protocol,
            Passes: 1,
            options.DataPath,
            options.Validation ? ValidationName(options.Protocol) : "test",
            [.. options.Seeds],
            options.Url?.ToString() ?? "in-process silo (memory storage)",
            runs[0].Lists,
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            MetricSet.Mean([.. runs.Select(r => r.Service)]),
            MetricSet.Mean([.. runs.Select(r => r.Popularity)]),
            several ? MetricSet.StandardDeviation([.. runs.Select(r => r.Service)]) : null,
            several ? MetricSet.StandardDeviation([.. runs.Select(r => r.Popularity)]) : null,
            runs[0].Window,
            options.Settings.ToDictionary(s => s.Key, s => s.Value));
    }

    public static void Print(EvalReport report, TextWriter output)
    {
        output.WriteLine($"{report.Protocol} on {report.Data} ({report.Split}), seeds {string.Join(",", report.Seeds)}, {report.Lists} lists per seed, {report.Seconds.ToString(CultureInfo.InvariantCulture)} s, target: {report.Target}");
        output.WriteLine($"{"metric",-14}{"service",22}{"popularity",22}{"ratio",8}");
        foreach (var (name, pick) in Rows)
        {
            var ratio = pick(report.Popularity) == 0 ? "" : (pick(report.Service) / pick(report.Popularity)).ToString("F2", CultureInfo.InvariantCulture);
            output.WriteLine($"{name,-14}{Cell(pick(report.Service), report.ServiceStd is { } s ? pick(s) : null),22}{Cell(pick(report.Popularity), report.PopularityStd is { } p ? pick(p) : null),22}{ratio,8}");
        }

        foreach (var point in report.Window ?? [])
        {
            output.WriteLine(FormattableString.Invariant($"  events {point.Events,7}: HR@10 service {point.HitRateAt10:F4}, popularity {point.PopularityHitRateAt10:F4}"));
        }
    }

    public static async Task WriteJsonAsync<TReport>(TReport report, string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, _json);
    }

    private static readonly (string Name, Func<MetricSet, double> Pick)[] Rows =
    [
        ("precision@10", m => m.PrecisionAt10),
        ("recall@10", m => m.RecallAt10),
        ("ndcg@10", m => m.NdcgAt10),
        ("map@10", m => m.MapAt10),
        ("hitRate@10", m => m.HitRateAt10),
        ("coverage", m => m.Coverage),
        ("giniExposure", m => m.GiniExposure),
        ("novelty", m => m.Novelty),
    ];

    private static string ValidationName(string protocol) => protocol switch
    {
        Protocols.RandomSplit => "validation: 25% of each item's training ratings",
        Protocols.Prequential => "validation: the first half of the stream",
        _ => throw new ArgumentException($"--validation is for {Protocols.RandomSplit} and {Protocols.Prequential}."),
    };

    private static string Cell(double mean, double? std) =>
        std is { } s ? FormattableString.Invariant($"{mean:F4} ± {s:F4}") : mean.ToString("F4", CultureInfo.InvariantCulture);
}
