using System.CommandLine;
using Personalization.Bench.Cli;
using Personalization.Bench.Eval;

namespace Personalization.Bench.Learning;

/// <summary><c>bench simulate</c>: simulated learners practising with the service against two baselines (docs/learning.md).</summary>
public static class SimulateCli
{
    public static Command Command()
    {
        var seeds = OptionValues.IntList("--seeds", "One simulated world per seed.", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var learners = OptionValues.Int("--learners", "Learners per seed.", 30);
        var skills = OptionValues.Int("--skills", "Skills of the simulated course.", 8);
        var exercises = OptionValues.Int("--exercises", "Exercises per skill.", 20);
        var maxAnswers = OptionValues.Int("--max-answers", "Answers after which a learner who has not mastered every skill stops.", 2000);
        var target = OptionValues.Number("--target", "Success probability the practice policy aims at.", 0.7, 0.01, 0.99);
        var json = OptionValues.JsonFile();

        var command = new Command(LearnerSimulation.Command, "Simulated learners: answers to mastery with the service's practice policy, random order and mastery learning.")
        {
            seeds, learners, skills, exercises, maxAnswers, target, json,
        };
        command.SetAction(async parsed =>
        {
            var options = new SimulationOptions(
                parsed.GetValue(seeds)!,
                parsed.GetValue(learners),
                parsed.GetValue(skills),
                parsed.GetValue(exercises),
                parsed.GetValue(maxAnswers),
                parsed.GetValue(target));
            var report = await LearnerSimulation.RunAsync(options, Console.Out);
            LearnerSimulation.Print(report, Console.Out);
            if (parsed.GetValue(json) is { } path)
            {
                await EvalCommand.WriteJsonAsync(report, path);
            }

            return 0;
        });
        return command;
    }
}
