using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// The learner model as one catalog shard holds it: the difficulty of its exercises (in <see cref="ItemPage"/>), the
/// shard's shared weights and the weights of its exercises' skills, all learned from the answers on its own exercises.
/// Predictions and practice candidates for a learner come from a copy of the learner's state.
/// </summary>
internal sealed class ShardKnowledge(CatalogShardState state, KnowledgeOptions settings)
{
    private double[] Shared => state.SharedWeights = Sized(state.SharedWeights);

    /// <summary>The shared weights with the sums that size their steps.</summary>
    private AdaptiveWeights AdaptiveShared => new(Shared, state.SharedGradients = Sized(state.SharedGradients));

    /// <summary>A copy of the exercise's parameters, for the user grain's half of an answer.</summary>
    public ExerciseParameters Parameters(ItemRow item) =>
        new(item.Id, item.Skills, item.Difficulty, [.. Shared], [.. item.Skills.Select(skill => Weights(skill).ToArray())]);

    /// <summary>Learns from one answer on <paramref name="item"/>, predicting again with the current weights first.</summary>
    public void Learn(ItemRow item, AnswerSignal answer)
    {
        if (answer.Features.Length != item.Skills.Length)
        {
            // The item's skills changed since the answer was prepared: its features no longer line up.
            return;
        }

        var skills = item.Skills.Select((skill, i) => (new AdaptiveWeights(Weights(skill), Row(state.SkillGradients, skill)), answer.Features[i])).ToList();
        item.Difficulty = KnowledgeTracing.LearnExercise(answer.Ability, item.Difficulty, item.Answers, AdaptiveShared, skills, answer.Outcome, settings);
        item.Answers++;
    }

    public double Predict(ItemRow item, LearnerSnapshot learner, DateTimeOffset asOf) =>
        Predict(item, new LearnerView(learner, asOf, settings));

    /// <summary>
    /// This shard's first <see cref="PracticeQuery.Count"/> active exercises not excluded, in <see cref="PracticeOrder"/>.
    /// An exercise stands for its weakest skill (the first of its skills in that order).
    /// </summary>
    public PracticeCandidate[] Practice(IEnumerable<ItemRow> items, PracticeQuery query)
    {
        var learner = new LearnerView(query.Learner, query.AsOf, settings);
        var standings = new Dictionary<string, SkillStanding>(StringComparer.Ordinal);
        var excluded = query.Exclude.ToHashSet(StringComparer.Ordinal);
        var candidates = new List<PracticeCandidate>();
        foreach (var item in items.Where(i => i.Active && i.Skills.Length > 0 && !excluded.Contains(i.Id)))
        {
            var success = Predict(item, learner);
            var distance = Math.Abs(success - query.TargetSuccess);
            candidates.Add(item.Skills
                .Select(skill =>
                {
                    var (review, order, mastery) = standings.TryGetValue(skill, out var known) ? known : standings[skill] = Standing(skill, learner);
                    return new PracticeCandidate(item.Id, success, skill, mastery, review, order, distance);
                })
                .Min(PracticeOrder.Instance)!);
        }

        candidates.Sort(PracticeOrder.Instance);
        return [.. candidates.Take(query.Count)];
    }

    private double Predict(ItemRow item, LearnerView learner) =>
        KnowledgeTracing.Predict(learner.Offset(item.Skills), item.Difficulty, Shared, [.. item.Skills.Select(s => (Weights(s), learner.Features(s, item.Id)))]);

    /// <summary>
    /// A skill the learner practiced stands by the mastery <c>/mastery</c> shows: the same on every shard, so that the
    /// merged list keeps the skill's place (each shard's own estimate of it differs, and an estimate that lags keeps a
    /// mastered skill in practice). A skill never practiced stands by this shard's estimate. Below the mastery
    /// threshold the weakest comes first; review goes round the skills estimated mastered, the one left alone longest
    /// first, so that a wrong estimate gets tested again.
    /// </summary>
    private SkillStanding Standing(string skill, LearnerView learner)
    {
        var practiced = learner.Practiced(skill);
        var mastery = practiced is { } evidence ? learner.Mastery(evidence) : Mastery(skill, learner);
        return mastery >= settings.MasteryThreshold
            ? new SkillStanding(true, practiced?.LastAt ?? 0, mastery)
            : new SkillStanding(false, mastery, mastery);
    }

    /// <summary>P(success) on an exercise of average difficulty of the skill, by this shard's weights.</summary>
    private double Mastery(string skill, LearnerView learner) =>
        KnowledgeTracing.Sigmoid(learner.Offset([skill]) + KnowledgeTracing.SkillLogit(Shared, Weights(skill), learner.Features(skill)));

    private double[] Weights(string skill) => Row(state.SkillWeights, skill);

    /// <summary>The skill's row of <paramref name="rows"/>, made (zeros) or resized when stored by an earlier version.</summary>
    private static double[] Row(Dictionary<string, double[]> rows, string skill)
    {
        if (!rows.TryGetValue(skill, out var row) || row.Length != KnowledgeTracing.FeatureCount)
        {
            rows[skill] = row = Sized(row ?? []);
        }

        return row;
    }

    private static double[] Sized(double[] values) => KnowledgeTracing.Padded(values, KnowledgeTracing.FeatureCount);

    /// <summary>A learner's state at one time, with the features of each skill computed once.</summary>
    private sealed class LearnerView(LearnerSnapshot snapshot, DateTimeOffset asOf, KnowledgeOptions settings)
    {
        private readonly LearnerEvidence _learner = LearnerEvidence.From(snapshot.Learner);

        private readonly Dictionary<string, double[]> _features = new(StringComparer.Ordinal);

        public double Offset(string[] skills) => KnowledgeTracing.Offset(_learner, [.. skills.Select(Evidence)]);

        public double[] Features(string skill)
        {
            if (!_features.TryGetValue(skill, out var x))
            {
                _features[skill] = x = KnowledgeTracing.Features(_learner, Evidence(skill), asOf, settings);
            }

            return x;
        }

        /// <summary>The features on <paramref name="skill"/> for an exercise, with the learner's earlier answers on it if any.</summary>
        public double[] Features(string skill, string itemId) =>
            snapshot.Exercises.TryGetValue(itemId, out var values)
                ? KnowledgeTracing.WithExercise([.. Features(skill)], ExerciseEvidence.From(values))
                : Features(skill);

        /// <summary>The learner's evidence on the skill, or null when they never answered an exercise of it.</summary>
        public SkillEvidence? Practiced(string skill) =>
            snapshot.Skills.TryGetValue(skill, out var values) ? new SkillEvidence(values) : null;

        /// <summary>The mastery of a practiced skill as <c>/mastery</c> shows it.</summary>
        public double Mastery(SkillEvidence skill) => KnowledgeTracing.Mastery(_learner, skill);

        private SkillEvidence Evidence(string skill) => Practiced(skill) ?? SkillEvidence.New();
    }

    /// <summary>A skill's place in practice order for one learner (<see cref="PracticeCandidate"/>) and its mastery.</summary>
    private readonly record struct SkillStanding(bool Review, double Order, double Mastery);
}
