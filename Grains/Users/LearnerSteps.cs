using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Users;

/// <summary>The learner's side of a user (learning mode): evidence per learner and per skill, kept in the user's state.</summary>
internal static class LearnerSteps
{
    /// <summary>
    /// The learner's half of an answer: predict with the evidence before it, move the ability by the error, add the answer
    /// to each skill's evidence and refresh its knowledge figure. Returns what the exercise's shard learns from.
    /// </summary>
    public static AnswerSignal Answer(UserState state, UserEvent e, ExerciseParameters exercise, KnowledgeOptions knowledge)
    {
        var learner = LearnerEvidence.From(state.Learner);
        state.Learner = learner.Values;
        var outcome = e.Value ?? 0;
        var skills = exercise.Skills.Select(skill => SkillEvidenceOf(state, skill)).ToArray();
        var answered = ExerciseEvidenceOf(state, e.ItemId);
        var features = skills.Select(skill => KnowledgeTracing.Features(learner, skill, e.Timestamp, knowledge, answered)).ToArray();
        var offset = KnowledgeTracing.Offset(learner, skills);
        var signal = new AnswerSignal(e.ItemId, offset, features, outcome);
        var predicted = KnowledgeTracing.Predict(offset, exercise.Difficulty, exercise.Shared, [.. exercise.SkillWeights.Zip(features)]);
        answered.Observe(outcome, learner.Answers);
        KnowledgeTracing.LearnLearner(learner, predicted, outcome, knowledge);
        for (var i = 0; i < skills.Length; i++)
        {
            KnowledgeTracing.Observe(skills[i], predicted, outcome, exercise.Difficulty, e.Timestamp, knowledge);
            skills[i].Knowledge = skills[i].Ability + KnowledgeTracing.SkillLogit(
                exercise.Shared, exercise.SkillWeights[i], KnowledgeTracing.Features(learner, skills[i], e.Timestamp, knowledge));
        }

        // The skills just answered are the latest: the ones dropped are those answered longest ago.
        CappedMaps.DropLeast(state.Skills, UserLimits.SkillCapacity, values => new SkillEvidence(values).LastAt);
        CappedMaps.DropLeast(state.Exercises, UserLimits.ExerciseCapacity, values => ExerciseEvidence.From(values).Sequence, e.ItemId);
        return signal;
    }

    /// <summary>A copy, so that no caller in this silo shares the arrays the grain keeps changing.</summary>
    public static LearnerSnapshot Copy(UserState state) =>
        new([.. state.Learner], Copy(state.Skills), Copy(state.Exercises));

    private static Dictionary<string, double[]> Copy(Dictionary<string, double[]> map) =>
        map.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);

    private static SkillEvidence SkillEvidenceOf(UserState state, string skill)
    {
        if (!state.Skills.TryGetValue(skill, out var values))
        {
            state.Skills[skill] = values = SkillEvidence.New().Values;
        }

        return new SkillEvidence(values);
    }

    private static ExerciseEvidence ExerciseEvidenceOf(UserState state, string itemId)
    {
        if (!state.Exercises.TryGetValue(itemId, out var values) || values.Length != ExerciseEvidence.Length)
        {
            state.Exercises[itemId] = values = ExerciseEvidence.From(values ?? []).Values;
        }

        return new ExerciseEvidence(values);
    }
}
