namespace Personalization.Bench.Data;

/// <summary>One answer of a learner: the exercise, its one skill, and whether it was right.</summary>
public readonly record struct SkillAnswer(int Item, int Skill, bool Correct);

/// <summary>The learners of a knowledge-tracing split, each with their answers in order.</summary>
public sealed record AnswerSet(string Format, IReadOnlyList<SkillAnswer[]> Train, IReadOnlyList<SkillAnswer[]> Test)
{
    /// <summary>Reads the split in <paramref name="directory"/>, recognised by the names of its files.</summary>
    public static AnswerSet Load(string directory)
    {
        if (File.Exists(Path.Combine(directory, Assistments.TrainFile)))
        {
            return Assistments.Load(directory);
        }

        if (File.Exists(Path.Combine(directory, GervetSplit.TrainFile)))
        {
            return GervetSplit.Load(directory);
        }

        throw new FileNotFoundException(
            $"{directory} holds neither {Assistments.TrainFile} and {Assistments.TestFile} (the ASSISTments DKT split) nor " +
            $"{GervetSplit.TrainFile} and {GervetSplit.TestFile} (a split of Gervet et al. 2020, such as Statics 2011).");
    }
}
