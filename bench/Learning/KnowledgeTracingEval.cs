using System.Diagnostics;
using System.Globalization;
using Personalization.Bench.Data;
using Personalization.Bench.Eval;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Bench.Learning;

/// <summary>AUC, RMSE and accuracy of predicted success against the outcomes.</summary>
public sealed record ProbabilityScores(double Auc, double Rmse, double Accuracy)
{
    public static ProbabilityScores Of(IReadOnlyList<double> predicted, IReadOnlyList<double> outcomes) => new(
        ProbabilityMetrics.Auc(predicted, outcomes), ProbabilityMetrics.Rmse(predicted, outcomes), ProbabilityMetrics.Accuracy(predicted, outcomes));
}

/// <summary>The report of <c>bench eval --protocol knowledge-tracing</c>.</summary>
public sealed record KnowledgeTracingReport(
    string Protocol,
    string Data,
    string Split,
    int TrainLearners,
    int TrainAnswers,
    int TestLearners,
    int TestAnswers,
    bool FirstAnswersIncluded,
    double Seconds,
    ProbabilityScores Service,
    ProbabilityScores Marginal,
    IReadOnlyDictionary<string, string?> Settings);

/// <summary>
/// Knowledge tracing through the real grains (in-process silo): every training learner's answers are replayed, then the
/// test learners' answers one at a time in order; before each, the learner's predicted success on the exercise is asked
/// for the way <c>GET /v1/users/{id}/predictions</c> asks it. Each skill is one exercise (the data has no problem ids).
/// The per-skill marginal baseline (share right per skill over the training answers) is computed in the same run.
/// </summary>
public static class KnowledgeTracingEval
{
    public const string Protocol = "knowledge-tracing";

    /// <summary>Answers are one second apart: the data has no times, so forgetting plays no part here.</summary>
    private static readonly DateTimeOffset _start = new(2009, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private const int MaxBatch = 1000;

    public static async Task<KnowledgeTracingReport> RunAsync(
        string dataPath, bool validation, IReadOnlyList<KeyValuePair<string, string?>> settings, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var data = Assistments.Load(dataPath);
        // Validation (for tuning): every fourth training learner is held out; the test learners are never looked at.
        var (train, test) = validation
            ? ((IReadOnlyList<SkillAnswer[]>)[.. data.Train.Where((_, i) => i % 4 != 3)], (IReadOnlyList<SkillAnswer[]>)[.. data.Train.Where((_, i) => i % 4 == 3)])
            : (data.Train, data.Test);
        log.WriteLine($"{train.Count} training learners ({train.Sum(l => l.Length)} answers), {test.Count} test learners ({test.Sum(l => l.Length)} answers)");

        await using var target = await InProcessTarget.StartAsync(settings, seed: 0);
        var skills = train.Concat(test).SelectMany(l => l).Select(a => a.Skill).Distinct().Order().ToList();
        await target.Catalog.UpsertAsync([.. skills.Select(skill => new ItemUpsert(ItemOf(skill), [], [], true, [skill.ToString(CultureInfo.InvariantCulture)], null))]);

        var time = 0;
        for (var learner = 0; learner < train.Count; learner++)
        {
            var events = train[learner].Select((answer, i) => ($"train-{learner}", Event(answer, i, time + i))).ToList();
            foreach (var batch in events.Chunk(MaxBatch))
            {
                await target.Ingest.RecordAsync(batch);
            }

            time += events.Count;
        }

        log.WriteLine(FormattableString.Invariant($"training learners replayed ({clock.Elapsed.TotalSeconds:F0} s)"));
        var marginal = Marginal(train);
        var overall = train.SelectMany(l => l).Average(a => a.Correct ? 1.0 : 0.0);
        var predicted = new List<double>();
        var baseline = new List<double>();
        var outcomes = new List<double>();
        for (var learner = 0; learner < test.Count; learner++)
        {
            var userId = $"test-{learner}";
            for (var i = 0; i < test[learner].Length; i++)
            {
                var answer = test[learner][i];
                var e = Event(answer, i, time++);
                var prediction = await target.Learners.PredictAsync(userId, [e.ItemId], e.Timestamp);
                predicted.Add(prediction.Single().PCorrect);
                baseline.Add(marginal.GetValueOrDefault(answer.Skill, overall));
                outcomes.Add(e.Value!.Value);
                await target.Ingest.RecordAsync([(userId, e)]);
            }
        }

        return new KnowledgeTracingReport(
            Protocol,
            dataPath,
            validation ? "validation: every fourth training learner held out" : "test",
            train.Count,
            train.Sum(l => l.Length),
            test.Count,
            outcomes.Count,
            FirstAnswersIncluded: true,
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            ProbabilityScores.Of(predicted, outcomes),
            ProbabilityScores.Of(baseline, outcomes),
            settings.ToDictionary(s => s.Key, s => s.Value));
    }

    public static void Print(KnowledgeTracingReport report, TextWriter output)
    {
        output.WriteLine($"{report.Protocol} on {report.Data} ({report.Split}): {report.TestAnswers} answers of {report.TestLearners} learners predicted, first answers included, {report.Seconds.ToString(CultureInfo.InvariantCulture)} s");
        output.WriteLine($"{"metric",-10}{"service",10}{"marginal",10}");
        foreach (var (name, pick) in new (string, Func<ProbabilityScores, double>)[] { ("auc", s => s.Auc), ("rmse", s => s.Rmse), ("accuracy", s => s.Accuracy) })
        {
            output.WriteLine(FormattableString.Invariant($"{name,-10}{pick(report.Service),10:F4}{pick(report.Marginal),10:F4}"));
        }
    }

    private static string ItemOf(int skill) => $"skill-{skill.ToString(CultureInfo.InvariantCulture)}";

    private static UserEvent Event(SkillAnswer answer, int index, int second) =>
        new($"a{index}", ItemOf(answer.Skill), EventSignal.Answer, answer.Correct ? 1 : 0, null, _start.AddSeconds(second));

    /// <summary>Share of right answers per skill over the training answers.</summary>
    private static Dictionary<int, double> Marginal(IReadOnlyList<SkillAnswer[]> train) =>
        train.SelectMany(l => l).GroupBy(a => a.Skill).ToDictionary(g => g.Key, g => g.Average(a => a.Correct ? 1.0 : 0.0));
}
