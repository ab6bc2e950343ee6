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

/// <summary>How the training answers are sent: each learner's answers in batches of their own, or 1,000 across learners.</summary>
public enum TrainingBatches
{
    PerLearner,
    AcrossLearners,
}

/// <summary>
/// What <c>bench eval --protocol knowledge-tracing</c> runs: in process unless <see cref="Url"/> names a gateway;
/// <see cref="Concurrency"/> test learners at a time (each one's answers in order).
/// </summary>
public sealed record KnowledgeTracingOptions(
    string DataPath,
    bool Validation,
    IReadOnlyList<KeyValuePair<string, string?>> Settings,
    Uri? Url = null,
    string? ApiKey = null,
    TrainingBatches Batches = TrainingBatches.PerLearner,
    int Concurrency = 1);

/// <summary>The report of <c>bench eval --protocol knowledge-tracing</c>.</summary>
public sealed record KnowledgeTracingReport(
    string Protocol,
    string Data,
    string Format,
    string Split,
    string Target,
    string TrainingBatches,
    int Exercises,
    int Skills,
    int TrainLearners,
    int TrainAnswers,
    int TestLearners,
    int TestAnswers,
    int Concurrency,
    bool FirstAnswersIncluded,
    double Seconds,
    ProbabilityScores Service,
    ProbabilityScores Marginal,
    IReadOnlyDictionary<string, string?> Settings);

/// <summary>
/// Knowledge tracing through the real grains, in process or through a running gateway: every training learner's answers
/// are replayed, then the test learners' answers one at a time in order; before each, the learner's predicted success on
/// the exercise is asked for (<c>GET /v1/users/{id}/predictions</c>). The per-skill marginal baseline (share right per
/// skill over the training answers) is computed in the same run. Ids carry a prefix of their own per run, so that a
/// gateway holding other data is not disturbed and the replay does not meet earlier runs.
/// </summary>
public static class KnowledgeTracingEval
{
    public const string Protocol = "knowledge-tracing";

    /// <summary>In process, answers are one second apart: the data have no times, so forgetting plays no part here.</summary>
    private static readonly DateTimeOffset _start = new(2009, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private const int MaxBatch = 1000;

    public static async Task<KnowledgeTracingReport> RunAsync(KnowledgeTracingOptions options, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var data = AnswerSet.Load(options.DataPath);
        // Validation (for tuning): every fourth training learner is held out; the test learners are never looked at.
        var (train, test) = options.Validation
            ? ((IReadOnlyList<SkillAnswer[]>)[.. data.Train.Where((_, i) => i % 4 != 3)], (IReadOnlyList<SkillAnswer[]>)[.. data.Train.Where((_, i) => i % 4 == 3)])
            : (data.Train, data.Test);
        log.WriteLine($"{data.Format}: {train.Count} training learners ({train.Sum(l => l.Length)} answers), {test.Count} test learners ({test.Sum(l => l.Length)} answers)");

        await using ILearnerTarget target = options.Url is { } url
            ? new HttpLearners(url, options.ApiKey)
            : await InProcessLearners.StartAsync(options.Settings);
        var ids = new RunIds($"kt{Guid.NewGuid().ToString("N")[..8]}");
        var exercises = train.Concat(test).SelectMany(l => l).DistinctBy(a => a.Item).OrderBy(a => a.Item).ToList();
        await target.UpsertExercisesAsync([.. exercises.Select(a => (ids.Item(a.Item), new[] { ids.Skill(a.Skill) }))]);

        var time = 0;
        foreach (var batch in TrainingBatchesOf(train, options.Batches, ids))
        {
            await target.RecordAsync([.. batch.Select(a => (a.UserId, ids.Event(a.Answer, a.Index, time++)))]);
        }

        log.WriteLine(FormattableString.Invariant($"training learners replayed through {target.Name} ({clock.Elapsed.TotalSeconds:F0} s)"));
        var marginal = Marginal(train);
        var overall = train.SelectMany(l => l).Average(a => a.Correct ? 1.0 : 0.0);
        var predicted = new double[test.Count][];
        // The in-process clock as if the learners came one after the other: each answer one second after the last.
        var starts = test.Select(l => l.Length).Prepend(time).ToArray();
        for (var learner = 1; learner < starts.Length; learner++)
        {
            starts[learner] += starts[learner - 1];
        }

        var done = 0;
        // Each test learner's answers in order, each predicted before it is sent; learners may run side by side.
        await Parallel.ForEachAsync(Enumerable.Range(0, test.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (learner, _) =>
        {
            var userId = ids.User("test", learner);
            predicted[learner] = new double[test[learner].Length];
            for (var i = 0; i < test[learner].Length; i++)
            {
                var e = ids.Event(test[learner][i], i, starts[learner] + i);
                predicted[learner][i] = await target.PredictAsync(userId, e.ItemId, e.Timestamp);
                await target.RecordAsync([(userId, e)]);
            }

            if (Interlocked.Increment(ref done) is var finished && finished % Math.Max(1, test.Count / 10) == 0)
            {
                log.WriteLine(FormattableString.Invariant($"{finished} test learners ({clock.Elapsed.TotalSeconds:F0} s)"));
            }
        });

        var answers = test.SelectMany(l => l).ToList();
        double[] outcomes = [.. answers.Select(a => a.Correct ? 1.0 : 0.0)];
        return new KnowledgeTracingReport(
            Protocol,
            options.DataPath,
            data.Format,
            options.Validation ? "validation: every fourth training learner held out" : "test",
            target.Name,
            options.Batches == TrainingBatches.PerLearner ? "per-learner" : "across-learners",
            exercises.Count,
            exercises.Select(a => a.Skill).Distinct().Count(),
            train.Count,
            train.Sum(l => l.Length),
            test.Count,
            outcomes.Length,
            options.Concurrency,
            FirstAnswersIncluded: true,
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            ProbabilityScores.Of([.. predicted.SelectMany(p => p)], outcomes),
            ProbabilityScores.Of([.. answers.Select(a => marginal.GetValueOrDefault(a.Skill, overall))], outcomes),
            options.Settings.ToDictionary(s => s.Key, s => s.Value));
    }

    public static void Print(KnowledgeTracingReport report, TextWriter output)
    {
        output.WriteLine($"{report.Protocol} on {report.Data} ({report.Format}, {report.Split}): {report.TestAnswers} answers of {report.TestLearners} learners predicted, first answers included, {report.Seconds.ToString(CultureInfo.InvariantCulture)} s, target: {report.Target}, training batches {report.TrainingBatches}, {report.Concurrency} test learners at a time");
        output.WriteLine($"{"metric",-10}{"service",10}{"marginal",10}");
        foreach (var (name, pick) in new (string, Func<ProbabilityScores, double>)[] { ("auc", s => s.Auc), ("rmse", s => s.Rmse), ("accuracy", s => s.Accuracy) })
        {
            output.WriteLine(FormattableString.Invariant($"{name,-10}{pick(report.Service),10:F4}{pick(report.Marginal),10:F4}"));
        }
    }

    /// <summary>
    /// The training answers in the batches a client sends: each learner's own (up to 1,000), or the answers of all
    /// learners one after the other, cut every 1,000 whatever the learner.
    /// </summary>
    private static IEnumerable<(string UserId, SkillAnswer Answer, int Index)[]> TrainingBatchesOf(
        IReadOnlyList<SkillAnswer[]> train, TrainingBatches batches, RunIds ids)
    {
        var answers = train.Select((answers, learner) => answers.Select((answer, i) => (ids.User("train", learner), answer, i)));
        return batches == TrainingBatches.PerLearner
            ? answers.SelectMany(learner => learner.Chunk(MaxBatch))
            : answers.SelectMany(learner => learner).Chunk(MaxBatch);
    }

    /// <summary>Share of right answers per skill over the training answers.</summary>
    private static Dictionary<int, double> Marginal(IReadOnlyList<SkillAnswer[]> train) =>
        train.SelectMany(l => l).GroupBy(a => a.Skill).ToDictionary(g => g.Key, g => g.Average(a => a.Correct ? 1.0 : 0.0));

    /// <summary>The ids of one run: users, exercises and skills all carry the run's prefix.</summary>
    private sealed class RunIds(string prefix)
    {
        public string User(string part, int learner) => $"{prefix}-{part}-{learner.ToString(CultureInfo.InvariantCulture)}";

        public string Item(int item) => $"{prefix}-e{item.ToString(CultureInfo.InvariantCulture)}";

        public string Skill(int skill) => $"{prefix}-s{skill.ToString(CultureInfo.InvariantCulture)}";

        public UserEvent Event(SkillAnswer answer, int index, int second) =>
            new($"a{index.ToString(CultureInfo.InvariantCulture)}", Item(answer.Item), EventSignal.Answer, answer.Correct ? 1 : 0, null, _start.AddSeconds(second));
    }
}
