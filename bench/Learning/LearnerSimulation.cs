using System.Diagnostics;
using System.Globalization;
using Personalization.Bench.Cli;
using Personalization.Bench.Eval;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Bench.Learning;

/// <summary>What <c>bench simulate</c> was asked to do.</summary>
public sealed record SimulationOptions(IReadOnlyList<int> Seeds, int Learners, int Skills, int ExercisesPerSkill, int MaxAnswers, double TargetSuccess);

/// <summary>One policy's figures over the seeds: mean and sample standard deviation of the per-seed means.</summary>
public sealed record PolicyResult(
    string Policy, double Answers, double AnswersStd, double MasteredShare, double MasteredShareStd, int CappedLearners, double[] AnswersPerSeed);

/// <summary>Relative saving of the practice policy against another, per seed (1 - practice / other): mean and spread.</summary>
public sealed record Saving(string Against, double Mean, double Std, double Min, double Max);

public sealed record SimulationReport(
    string Command, SimulationOptions Options, double Seconds, PolicyResult[] Policies, Saving[] Savings, int PracticeFallbacks);

/// <summary>
/// Synthetic learners with planted knowledge per skill (a logit; P(right) on an exercise of difficulty b is
/// sigmoid(knowledge - b), true mastery is that at b = 0) that grows with practice, most when an exercise is neither
/// too easy nor too hard (gain 0.3 * exp(-(logit P - logit 0.7)^2 / 2) logits per answer). A catalog of exercises per
/// skill with difficulties spread over -3..3 (their prior: the true difficulty plus noise of sd 0.3). Three policies on
/// the same learners and seeds, each until every skill reaches true mastery 0.95 (or <see cref="SimulationOptions.MaxAnswers"/>):
/// the service's <c>goal=practice</c> through the real grains (a fresh in-process silo per seed, learning online from
/// every answer), random exercises, and mastery learning (skills in a fixed order, the next after three right in a
/// row, round again until done).
/// </summary>
public static class LearnerSimulation
{
    public const string Command = "simulate";
    public const string Practice = "practice";
    public const string Random = "random";
    public const string MasteryLearning = "mastery-learning";

    private const double MasteredAt = 0.95;
    private const double GainRate = 0.3;
    private const double GainPeak = 0.7;
    private const double GainWidth = 1;
    private const int RightInARow = 3;

    public static async Task<SimulationReport> RunAsync(SimulationOptions options, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var perSeed = new Dictionary<string, List<(double Answers, double MasteredShare, int Capped)>>
        {
            [Practice] = [], [Random] = [], [MasteryLearning] = [],
        };
        var fallbacks = 0;
        foreach (var seed in options.Seeds)
        {
            var world = World.Create(options, seed);
            await using var target = await InProcessTarget.StartAsync([], seed);
            await target.Catalog.UpsertAsync([.. world.Exercises.Select(e => new ItemUpsert(e.Id, [], [], true, [e.Skill], e.Prior))]);
            var practice = new List<Run>();
            await Progress.PhaseAsync($"seed {seed}: {options.Learners} learners practising", async () =>
            {
                for (var learner = 0; learner < options.Learners; learner++)
                {
                    var run = await PracticeRunAsync(target, world, learner, seed, options);
                    fallbacks += run.Fallbacks;
                    practice.Add(run);
                }
            });

            perSeed[Practice].Add(Summary(practice));
            perSeed[Random].Add(Summary([.. Enumerable.Range(0, options.Learners).Select(l => RandomRun(world, l, seed, options))]));
            perSeed[MasteryLearning].Add(Summary([.. Enumerable.Range(0, options.Learners).Select(l => MasteryLearningRun(world, l, seed, options))]));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {seed}: answers to mastery, practice {perSeed[Practice][^1].Answers:F1}, random {perSeed[Random][^1].Answers:F1}, mastery learning {perSeed[MasteryLearning][^1].Answers:F1} ({clock.Elapsed.TotalSeconds:F0} s)"));
        }

        var policies = perSeed.Select(p => new PolicyResult(
            p.Key,
            p.Value.Average(r => r.Answers), Std([.. p.Value.Select(r => r.Answers)]),
            p.Value.Average(r => r.MasteredShare), Std([.. p.Value.Select(r => r.MasteredShare)]),
            p.Value.Sum(r => r.Capped),
            [.. p.Value.Select(r => Math.Round(r.Answers, 2))])).ToArray();
        var savings = new[] { Random, MasteryLearning }.Select(other =>
        {
            var ratios = perSeed[Practice].Zip(perSeed[other], (p, o) => 1 - p.Answers / o.Answers).ToArray();
            return new Saving(other, ratios.Average(), Std(ratios), ratios.Min(), ratios.Max());
        }).ToArray();
        return new SimulationReport(Command, options, Math.Round(clock.Elapsed.TotalSeconds, 1), policies, savings, fallbacks);
    }

    public static void Print(SimulationReport report, TextWriter output)
    {
        var o = report.Options;
        output.WriteLine($"{o.Learners} learners x {o.Seeds.Count} seeds, {o.Skills} skills x {o.ExercisesPerSkill} exercises, target success {o.TargetSuccess.ToString(CultureInfo.InvariantCulture)}, {report.Seconds.ToString(CultureInfo.InvariantCulture)} s");
        output.WriteLine($"{"policy",-18}{"answers to mastery",24}{"share on mastered skills",28}{"capped",8}");
        foreach (var p in report.Policies)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Policy,-18}{$"{p.Answers:F1} ± {p.AnswersStd:F1}",24}{$"{p.MasteredShare:F3} ± {p.MasteredShareStd:F3}",28}{p.CappedLearners,8}"));
        }

        foreach (var s in report.Savings)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"practice vs {s.Against}: {s.Mean:P1} fewer answers (± {s.Std:P1}; seeds from {s.Min:P1} to {s.Max:P1})"));
        }

        output.WriteLine($"practice answers where the service proposed nothing and a random exercise was taken: {report.PracticeFallbacks}");
    }

    /// <summary>The service chooses: one <c>goal=practice</c> item per answer, the answer sent through the ingest path.</summary>
    private static async Task<Run> PracticeRunAsync(InProcessTarget target, World world, int learner, int seed, SimulationOptions options)
    {
        var state = world.Learner(learner);
        var random = new DeterministicRandom(Stream(seed, learner, 1));
        var userId = $"learner-{learner}";
        var run = new Run(state);
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        while (!state.AllMastered && run.Answers < options.MaxAnswers)
        {
            at = at.AddMinutes(1);
            var proposed = await target.Learners.PracticeAsync(userId, options.TargetSuccess, 1, [], at);
            int exercise;
            if (proposed is [var first])
            {
                exercise = world.IndexOf(first.ItemId);
            }
            else
            {
                run.Fallbacks++;
                exercise = random.Next(world.Exercises.Count);
            }

            var outcome = run.Answer(state, world.Exercises[exercise], ref random);
            var answer = new UserEvent($"e{run.Answers}", world.Exercises[exercise].Id, EventSignal.Answer, outcome ? 1 : 0, null, at);
            await target.Ingest.RecordAsync([(userId, answer)]);
        }

        return run;
    }

    private static Run RandomRun(World world, int learner, int seed, SimulationOptions options)
    {
        var state = world.Learner(learner);
        var random = new DeterministicRandom(Stream(seed, learner, 2));
        var run = new Run(state);
        while (!state.AllMastered && run.Answers < options.MaxAnswers)
        {
            run.Answer(state, world.Exercises[random.Next(world.Exercises.Count)], ref random);
        }

        return run;
    }

    private static Run MasteryLearningRun(World world, int learner, int seed, SimulationOptions options)
    {
        var state = world.Learner(learner);
        var random = new DeterministicRandom(Stream(seed, learner, 3));
        var run = new Run(state);
        var (skill, streak) = (0, 0);
        while (!state.AllMastered && run.Answers < options.MaxAnswers)
        {
            var ofSkill = world.OfSkill[skill];
            streak = run.Answer(state, ofSkill[random.Next(ofSkill.Count)], ref random) ? streak + 1 : 0;
            if (streak == RightInARow)
            {
                (skill, streak) = ((skill + 1) % world.OfSkill.Count, 0);
            }
        }

        return run;
    }

    private static (double Answers, double MasteredShare, int Capped) Summary(IReadOnlyList<Run> runs) =>
        (runs.Average(r => r.Answers), runs.Sum(r => r.OnMastered) / (double)Math.Max(1, runs.Sum(r => r.Answers)), runs.Count(r => !r.Done));

    private static ulong Stream(int seed, int learner, int policy) => (ulong)seed * 1_000_003UL + (ulong)learner * 101UL + (ulong)policy;

    private static double Std(double[] values)
    {
        var mean = values.Average();
        return values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    private sealed record Exercise(string Id, int SkillIndex, string Skill, double Difficulty, double Prior);

    /// <summary>A seed's catalog and learners' starting knowledge, the same for every policy.</summary>
    private sealed class World
    {
        private readonly double[][] _knowledge;
        private readonly Dictionary<string, int> _index;

        private World(List<Exercise> exercises, double[][] knowledge)
        {
            Exercises = exercises;
            _knowledge = knowledge;
            _index = exercises.Select((e, i) => (e.Id, i)).ToDictionary(e => e.Id, e => e.i, StringComparer.Ordinal);
            OfSkill = [.. exercises.GroupBy(e => e.SkillIndex).OrderBy(g => g.Key).Select(g => g.ToList())];
        }

        public List<Exercise> Exercises { get; }

        public List<List<Exercise>> OfSkill { get; }

        public static World Create(SimulationOptions options, int seed)
        {
            var random = new DeterministicRandom((ulong)seed);
            var exercises = new List<Exercise>();
            for (var skill = 0; skill < options.Skills; skill++)
            {
                for (var i = 0; i < options.ExercisesPerSkill; i++)
                {
                    var difficulty = -3 + 6 * random.NextDouble();
                    exercises.Add(new Exercise($"s{skill}-e{i}", skill, $"skill-{skill}", difficulty, Math.Round(difficulty + 0.3 * random.NextGaussian(), 3)));
                }
            }

            // Starting knowledge: mean -1 logit, sd 1.5, so a few skills start mastered and most are far from it.
            var knowledge = Enumerable.Range(0, options.Learners)
                .Select(_ => Enumerable.Range(0, options.Skills).Select(_ => -1 + 1.5 * random.NextGaussian()).ToArray())
                .ToArray();
            return new World(exercises, knowledge);
        }

        public int IndexOf(string itemId) => _index[itemId];

        public LearnerState Learner(int learner) => new([.. _knowledge[learner]]);
    }

    private sealed class LearnerState(double[] knowledge)
    {
        private static readonly double _masteredLogit = KnowledgeTracing.Logit(MasteredAt);

        public bool AllMastered => knowledge.All(k => k >= _masteredLogit);

        public bool Mastered(int skill) => knowledge[skill] >= _masteredLogit;

        /// <summary>Answers an exercise (right with P = sigmoid(knowledge - difficulty)) and learns from it.</summary>
        public bool Answer(Exercise exercise, ref DeterministicRandom random)
        {
            var success = KnowledgeTracing.Sigmoid(knowledge[exercise.SkillIndex] - exercise.Difficulty);
            var right = random.NextDouble() < success;
            var distance = (KnowledgeTracing.Logit(success) - KnowledgeTracing.Logit(GainPeak)) / GainWidth;
            knowledge[exercise.SkillIndex] += GainRate * Math.Exp(-distance * distance / 2);
            return right;
        }
    }

    /// <summary>One learner's run under one policy.</summary>
    private sealed class Run(LearnerState learner)
    {
        public int Answers { get; private set; }

        /// <summary>Answers on a skill the learner had already mastered.</summary>
        public int OnMastered { get; private set; }

        public int Fallbacks { get; set; }

        /// <summary>Every skill reached true mastery (before the cap).</summary>
        public bool Done => learner.AllMastered;

        public bool Answer(LearnerState state, Exercise exercise, ref DeterministicRandom random)
        {
            OnMastered += state.Mastered(exercise.SkillIndex) ? 1 : 0;
            Answers++;
            return state.Answer(exercise, ref random);
        }
    }
}
