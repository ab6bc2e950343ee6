namespace Personalization.Model;

/// <summary>
/// Hyper-parameters of the learner model (learning mode). Bound from configuration section "Knowledge". The defaults were
/// chosen on validation parts carved from the training students of the ASSISTments and Statics splits (docs/learning.md), never on test students.
/// </summary>
public sealed record KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>Elo step of a learner's ability: <c>rate / (1 + decay * answers so far)</c>, large at first, then steadier.</summary>
    public double AbilityRate { get; init; } = 0.5;

    public double AbilityDecay { get; init; } = 0.05;

    /// <summary>Elo step of a learner's ability on one skill, the same schedule over their answers on the skill.</summary>
    public double SkillAbilityRate { get; init; } = 0.25;

    public double SkillAbilityDecay { get; init; } = 0.05;

    /// <summary>Elo step of an exercise's difficulty, the same schedule over the exercise's answers.</summary>
    public double DifficultyRate { get; init; } = 0.5;

    public double DifficultyDecay { get; init; } = 0.05;

    /// <summary>
    /// AdaGrad rate of the weights every skill shares: a weight's step is this over the root of the sum of its squared
    /// gradients so far (<see cref="AdaptiveWeights"/>).
    /// </summary>
    public double SharedRate { get; init; } = 0.05;

    /// <summary>AdaGrad rate of a skill's own weights, added to the shared ones.</summary>
    public double SkillRate { get; init; } = 0.03;

    /// <summary>Evidence on a skill (counts of right and wrong answers) halves when the skill is left alone this long.</summary>
    public TimeSpan ForgettingHalfLife { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Estimated mastery at which practice leaves a skill alone.</summary>
    public double MasteryThreshold { get; init; } = 0.95;
}
