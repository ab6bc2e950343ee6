using System.Globalization;

namespace Personalization.Bench.Data;

/// <summary>One answer of a learner: the skill and whether it was right.</summary>
public readonly record struct SkillAnswer(int Skill, bool Correct);

/// <summary>The learners of a knowledge-tracing split, each with their answers in order.</summary>
public sealed record AnswerSet(IReadOnlyList<SkillAnswer[]> Train, IReadOnlyList<SkillAnswer[]> Test);

/// <summary>
/// Reads the ASSISTments 2009-2010 skill-builder split of the DKT paper (<c>builder_train.csv</c>, <c>builder_test.csv</c>):
/// per learner three lines, the number of answers, the skill ids and the 0/1 flags, each list ending with a comma.
/// </summary>
public static class Assistments
{
    public static AnswerSet Load(string directory) =>
        new(Read(Path.Combine(directory, "builder_train.csv")), Read(Path.Combine(directory, "builder_test.csv")));

    private static List<SkillAnswer[]> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var learners = new List<SkillAnswer[]>();
        for (var i = 0; i + 2 < lines.Length && lines[i].Length > 0; i += 3)
        {
            var count = int.Parse(lines[i], CultureInfo.InvariantCulture);
            var skills = Numbers(lines[i + 1]);
            var flags = Numbers(lines[i + 2]);
            if (skills.Length != count || flags.Length != count)
            {
                throw new FormatException($"{path}, line {i + 1}: {count} answers announced, {skills.Length} skills and {flags.Length} flags found.");
            }

            learners.Add([.. skills.Zip(flags, (skill, flag) => new SkillAnswer(skill, flag == 1))]);
        }

        return learners;
    }

    private static int[] Numbers(string line) =>
        [.. line.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
}
