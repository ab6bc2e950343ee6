namespace Personalization.Interfaces;

/// <summary>
/// An exercise's part of the learner model, copied out of its shard: difficulty, earlier answers, the shard's shared
/// weights and the weights of each of the exercise's skills (in the order of <see cref="Skills"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ExerciseParameters")]
public sealed record ExerciseParameters(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string[] Skills,
    [property: Id(2)] double Difficulty,
    [property: Id(3)] double[] Shared,
    [property: Id(4)] double[][] SkillWeights);

/// <summary>
/// One answer for the exercise's shard to learn from: the learner's side of the logit (<c>KnowledgeTracing.Offset</c>)
/// and features per skill (in the order of the exercise's skills) before the answer, and the outcome 0..1. The shard predicts again with its current weights, so
/// that answers of one batch are learned from in order.
/// </summary>
[GenerateSerializer, Immutable, Alias("AnswerSignal")]
public sealed record AnswerSignal(
    [property: Id(0)] string ItemId,
    [property: Id(1)] double Ability,
    [property: Id(2)] double[][] Features,
    [property: Id(3)] double Outcome);

/// <summary>
/// A copy of a learner's state in learning mode: learner-wide evidence (<c>LearnerEvidence</c> slots) and the evidence
/// per practiced skill (<c>SkillEvidence</c> slots) and per exercise answered (<c>ExerciseEvidence</c> slots). Empty for
/// a new or opted-out learner.
/// </summary>
[GenerateSerializer, Immutable, Alias("LearnerSnapshot")]
public sealed record LearnerSnapshot(
    [property: Id(0)] double[] Learner,
    [property: Id(1)] Dictionary<string, double[]> Skills,
    [property: Id(2)] Dictionary<string, double[]> Exercises);

/// <summary>A learner's predicted success on one exercise.</summary>
[GenerateSerializer, Immutable, Alias("ExercisePrediction")]
public sealed record ExercisePrediction([property: Id(0)] string ItemId, [property: Id(1)] double PCorrect);

/// <summary>A practice request to one shard: whom for, the success rate to aim at, how many, which items not.</summary>
[GenerateSerializer, Immutable, Alias("PracticeQuery")]
public sealed record PracticeQuery(
    [property: Id(0)] LearnerSnapshot Learner,
    [property: Id(1)] double TargetSuccess,
    [property: Id(2)] int Count,
    [property: Id(3)] string[] Exclude,
    [property: Id(4)] DateTimeOffset AsOf);

/// <summary>
/// An exercise proposed for practice: its predicted success, its weakest skill for this learner and that skill's
/// estimated mastery, and its place in practice order (<c>PracticeOrder</c>): whether the skill is only for review
/// (estimated mastered), the skill's place (its mastery, or for review the time of the last answer on it), then the
/// distance of the predicted success from the target.
/// </summary>
[GenerateSerializer, Immutable, Alias("PracticeCandidate")]
public sealed record PracticeCandidate(
    [property: Id(0)] string ItemId,
    [property: Id(1)] double PCorrect,
    [property: Id(2)] string Skill,
    [property: Id(3)] double Mastery,
    [property: Id(5)] bool Review,
    [property: Id(6)] double SkillOrder,
    [property: Id(7)] double Distance);
