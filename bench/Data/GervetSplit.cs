using System.Globalization;

namespace Personalization.Bench.Data;

/// <summary>
/// Reads a student split as released with Gervet et al. (2020), such as Statics 2011: <c>preprocessed_data_train.csv</c>
/// and <c>preprocessed_data_test.csv</c>, tab-separated with the header <c>user_id item_id timestamp correct skill_id</c>,
/// one row per answer, each student's rows in the order of their answers. Items (problem steps) have one skill each.
/// </summary>
public static class GervetSplit
{
    public const string TrainFile = "preprocessed_data_train.csv";
    public const string TestFile = "preprocessed_data_test.csv";

    private const string Header = "user_id\titem_id\ttimestamp\tcorrect\tskill_id";

    public static AnswerSet Load(string directory) => new(
        "gervet-split", Read(Path.Combine(directory, TrainFile)), Read(Path.Combine(directory, TestFile)));

    private static List<SkillAnswer[]> Read(string path)
    {
        using var reader = new StreamReader(path);
        if (reader.ReadLine()?.Trim() != Header)
        {
            throw new FormatException($"{path}: the first line must be the header '{Header.Replace('\t', ' ')}' (tab-separated).");
        }

        // Students in order of their first row, each with their answers in file order.
        var learners = new Dictionary<int, List<SkillAnswer>>();
        var order = new List<int>();
        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 5 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out var user)
                || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out var item)
                || fields[3] is not ("0" or "1")
                || !int.TryParse(fields[4], CultureInfo.InvariantCulture, out var skill))
            {
                throw new FormatException($"{path}, line {number}: expected five tab-separated integers (correct 0 or 1), found '{line}'.");
            }

            if (!learners.TryGetValue(user, out var answers))
            {
                learners[user] = answers = [];
                order.Add(user);
            }

            answers.Add(new SkillAnswer(item, skill, fields[3] == "1"));
        }

        return [.. order.Select(user => learners[user].ToArray())];
    }
}
