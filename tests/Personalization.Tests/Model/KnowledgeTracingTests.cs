using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class KnowledgeTracingTests
{
    private static readonly KnowledgeOptions _settings = new();
    private static readonly DateTimeOffset _t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evidence_keeps_counts_the_last_three_answers_and_moving_averages()
    {
        var skill = SkillEvidence.New();
        foreach (var outcome in new[] { 1.0, 0, 1, 1 })
        {
            KnowledgeTracing.Observe(skill, 0.5, outcome, 0, _t0, _settings);
        }

        Assert.Equal(4, skill.Attempts);
        Assert.Equal(3, skill.Correct, 9);
        Assert.Equal(1, skill.Wrong, 9);
        Assert.Equal([0, 1, 1], KnowledgeTracing.LastAnswers(skill));
        // Fast average (speed 0.5) of 1, -1, 1, 1 starting at the first answer: 1 -> 0 -> 0.5 -> 0.75.
        Assert.Equal(0.75, skill.Fast, 9);
    }

    [Fact]
    public void Partial_credit_counts_in_part_as_right_and_in_part_as_wrong()
    {
        var skill = SkillEvidence.New();
        KnowledgeTracing.Observe(skill, 0.5, 0.25, 0, _t0, _settings);

        Assert.Equal(0.25, skill.Correct, 9);
        Assert.Equal(0.75, skill.Wrong, 9);
        Assert.Equal([0], KnowledgeTracing.LastAnswers(skill));
        Assert.Equal(-0.5, skill.Slow, 9);
    }

    [Fact]
    public void Counts_fade_by_half_after_one_forgetting_half_life_away()
    {
        var learner = LearnerEvidence.New();
        var skill = SkillEvidence.New();
        KnowledgeTracing.Observe(skill, 0.5, 1, 0, _t0, _settings);
        KnowledgeTracing.Observe(skill, 0.5, 1, 0, _t0, _settings);

        var now = KnowledgeTracing.Features(learner, skill, _t0, _settings);
        var later = KnowledgeTracing.Features(learner, skill, _t0 + _settings.ForgettingHalfLife, _settings);

        Assert.Equal(Math.Log(1 + 2), now[0], 9);
        Assert.Equal(Math.Log(1 + 1), later[0], 9);
        Assert.Equal(0.5, KnowledgeTracing.Retained(_t0.ToUnixTimeSeconds(), _t0 + _settings.ForgettingHalfLife, _settings.ForgettingHalfLife), 9);
    }

    [Fact]
    public void Prediction_is_the_sigmoid_of_offset_minus_difficulty_plus_the_mean_skill_logit()
    {
        var shared = new double[KnowledgeTracing.FeatureCount];
        var a = new double[KnowledgeTracing.FeatureCount];
        var b = new double[KnowledgeTracing.FeatureCount];
        var x = new double[KnowledgeTracing.FeatureCount];
        shared[0] = 0.5;
        a[0] = 0.5;
        b[0] = -0.5;
        x[0] = 2;

        // Skill logits (0.5 + 0.5) * 2 = 2 and (0.5 - 0.5) * 2 = 0, mean 1; logit = 0.3 - 0.8 + 1 = 0.5.
        var p = KnowledgeTracing.Predict(0.3, 0.8, shared, [(a, x), (b, x)]);

        Assert.Equal(1 / (1 + Math.Exp(-0.5)), p, 12);
    }

    [Fact]
    public void A_right_answer_makes_the_exercise_easier_and_the_same_prediction_higher_and_a_wrong_one_the_opposite()
    {
        foreach (var (outcome, sign) in new[] { (1.0, 1), (0.0, -1) })
        {
            var shared = Zeros();
            var weights = Zeros();
            var x = KnowledgeTracing.Features(LearnerEvidence.New(), SkillEvidence.New(), _t0, _settings);
            var before = KnowledgeTracing.Predict(0, 0, shared.Weights, [(weights.Weights, x)]);

            var difficulty = KnowledgeTracing.LearnExercise(0, 0, 0, shared, [(weights, x)], outcome, _settings);
            var after = KnowledgeTracing.Predict(0, difficulty, shared.Weights, [(weights.Weights, x)]);

            // Error 0.5 at p = 0.5; the first Elo step is DifficultyRate.
            Assert.Equal(-sign * 0.5 * _settings.DifficultyRate, difficulty, 12);
            Assert.Equal(sign, Math.Sign(after - before));
            // The first AdaGrad step of a weight whose feature is on (the "no answer yet" pattern) is its rate; the
            // others stay at 0.
            var intercept = Array.IndexOf(x, 1.0);
            Assert.Equal(sign * _settings.SharedRate, shared.Weights[intercept], 6);
            Assert.Equal(sign * _settings.SkillRate, weights.Weights[intercept], 6);
            Assert.Equal(1, shared.Weights.Count(w => w != 0));
        }
    }

    [Fact]
    public void Ability_moves_by_the_prediction_error_with_steps_that_shrink_as_answers_accumulate()
    {
        var learner = LearnerEvidence.New();
        KnowledgeTracing.LearnLearner(learner, 0.5, 1, _settings);
        var first = learner.Ability;
        KnowledgeTracing.LearnLearner(learner, 0.5, 1, _settings);
        var second = learner.Ability - first;
        KnowledgeTracing.LearnLearner(learner, 0.9, 0, _settings);

        Assert.Equal(0.5 * _settings.AbilityRate, first, 12);
        Assert.Equal(0.5 * _settings.AbilityRate / (1 + _settings.AbilityDecay), second, 12);
        Assert.True(learner.Ability < first + second);
        Assert.Equal((2, 1, -1), (learner.Correct, learner.Wrong, learner.Last));
        // Moving averages over all skills (speeds 0.3 and 0.1) of 1, 1, -1 from the first answer: 0.7 - 0.3 and 0.9 - 0.1.
        Assert.Equal(0.4, learner.Fast, 12);
        Assert.Equal(0.8, learner.Slow, 12);
    }

    [Fact]
    public void Evidence_and_weights_stored_before_the_learner_averages_keep_what_they_learned()
    {
        var stored = new[] { 0.5, 3, 2, 1, -1 };

        var learner = LearnerEvidence.From(stored);
        var weights = KnowledgeTracing.Padded([0.25, -0.5], KnowledgeTracing.FeatureCount);

        Assert.Equal([0.5, 3, 2, 1, -1, 0, 0], learner.Values);
        Assert.Equal(KnowledgeTracing.FeatureCount, weights.Length);
        Assert.Equal((0.25, -0.5, 0.0), (weights[0], weights[1], weights[^1]));
    }

    [Fact]
    public void Exercise_features_hold_the_last_answer_on_the_same_exercise_and_how_often_it_was_answered()
    {
        var learner = LearnerEvidence.New();
        var skill = SkillEvidence.New();
        var exercise = ExerciseEvidence.New();
        const int e = KnowledgeTracing.ExerciseOffset;

        var first = KnowledgeTracing.Features(learner, skill, _t0, _settings, exercise);
        exercise.Observe(0, 0);
        var afterWrong = KnowledgeTracing.Features(learner, skill, _t0, _settings, exercise);
        exercise.Observe(1, 5);
        var afterRight = KnowledgeTracing.Features(learner, skill, _t0, _settings, exercise);
        var mastery = KnowledgeTracing.Features(learner, skill, _t0, _settings);

        Assert.Equal([0.0, 0, 0], first[e..]);
        Assert.Equal([0.0, 1, Math.Log(2)], afterWrong[e..]);
        Assert.Equal([1.0, 0, Math.Log(3)], afterRight[e..]);
        Assert.Equal([0.0, 0, 0], mastery[e..]);
        Assert.Equal((2, 1.0, 5.0), (exercise.Attempts, exercise.Last, exercise.Sequence));
    }

    [Fact]
    public void Exercise_evidence_stored_by_another_version_is_padded()
    {
        Assert.Equal([2.0, 1, 0], ExerciseEvidence.From([2, 1]).Values);
    }

    [Fact]
    public void Mastery_is_success_on_an_average_exercise_and_predicted_success_accounts_for_the_learners_exercises()
    {
        var learner = new LearnerEvidence([0.5, 0, 0, 0, 0]);
        var skill = SkillEvidence.New();
        skill.Knowledge = 0.5;
        skill.Difficulty = 1;

        Assert.Equal(1 / (1 + Math.Exp(-1.0)), KnowledgeTracing.Mastery(learner, skill), 12);
        Assert.Equal(0.5, KnowledgeTracing.PredictedSuccess(learner, skill), 12);
    }

    private static AdaptiveWeights Zeros() => new(new double[KnowledgeTracing.FeatureCount], new double[KnowledgeTracing.FeatureCount]);
}

public sealed class ProbabilityMetricsTests
{
    [Fact]
    public void Auc_counts_ordered_pairs_and_ties_as_one_half()
    {
        // Right answers at 0.35 and 0.8, wrong at 0.1 and 0.4: 3 of 4 pairs ordered.
        Assert.Equal(0.75, ProbabilityMetrics.Auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 12);
        Assert.Equal(0.5, ProbabilityMetrics.Auc([0.5, 0.5, 0.5], [0, 1, 1]), 12);
        Assert.Equal(1, ProbabilityMetrics.Auc([0.2, 0.9], [0, 1]), 12);
    }

    [Fact]
    public void Rmse_and_accuracy_by_hand()
    {
        double[] predicted = [0.9, 0.2, 0.6, 0.4];
        double[] outcomes = [1, 0, 0, 1];

        Assert.Equal(Math.Sqrt((0.01 + 0.04 + 0.36 + 0.36) / 4), ProbabilityMetrics.Rmse(predicted, outcomes), 12);
        Assert.Equal(0.5, ProbabilityMetrics.Accuracy(predicted, outcomes), 12);
    }
}
