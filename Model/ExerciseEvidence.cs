namespace Personalization.Model;

/// <summary>
/// A learner's evidence on one exercise they answered before, stored as a plain <c>double[]</c> like
/// <see cref="SkillEvidence"/>: how many times, the last outcome, and when (the learner's answer count then, which orders
/// the exercises even when answers share a timestamp).
/// </summary>
public readonly struct ExerciseEvidence(double[] values)
{
    public const int Length = 3;

    public static ExerciseEvidence New() => new(new double[Length]);

    /// <summary>The evidence held in <paramref name="values"/>, padded when stored by another version.</summary>
    public static ExerciseEvidence From(double[] values) => new(KnowledgeTracing.Padded(values, Length));

    public double[] Values => values;

    public int Attempts { get => (int)values[0]; set => values[0] = value; }

    /// <summary>The outcome of the last answer, 0 (wrong) to 1 (right).</summary>
    public double Last { get => values[1]; set => values[1] = value; }

    /// <summary>The learner's answers before the last one on this exercise: the newest exercises have the largest.</summary>
    public double Sequence { get => values[2]; set => values[2] = value; }

    /// <summary>Adds an answer, the learner's <paramref name="sequence"/>-th (from 0).</summary>
    public void Observe(double outcome, double sequence)
    {
        Attempts++;
        Last = outcome;
        Sequence = sequence;
    }
}
