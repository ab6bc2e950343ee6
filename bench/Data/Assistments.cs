using System.Globalization;

namespace Personalization.Bench.Data;

/// <summary>
/// Reads the ASSISTments 2009-2010 skill-builder split of the DKT paper (<c>builder_train.csv</c>, <c>builder_test.csv</c>):
/// per learner three lines, the number of answers, the skill ids and the 0/1 flags, each list ending with a comma. The
/// data hold no problem ids: each skill is one exercise.
/// </summary>
public static class Assistments
{
    public const string TrainFile = "builder_train.csv";
    public const string TestFile = "builder_test.csv";

    public static AnswerSet Load(string directory) => new(
        "assistments-dkt", Read(Path.Combine(directory, TrainFile)), Read(Path.Combine(directory, TestFile)));

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

            learners.Add([.. skills.Zip(flags, (skill, flag) => new SkillAnswer(skill, skill, flag == 1))]);
        }

        return learners;
    }

    private static int[] Numbers(string line) =>
        [.. line.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
}
