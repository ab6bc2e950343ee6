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
    /// <summary>Larger than any score difference between two candidates (each part is within 0..1).</summary>
    private const double ReviewPenalty = 2;

    private double[] Shared => state.SharedWeights.Length == KnowledgeTracing.FeatureCount
        ? state.SharedWeights
        : state.SharedWeights = KnowledgeTracing.Padded(state.SharedWeights, KnowledgeTracing.FeatureCount);

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

        var skills = item.Skills.Select((skill, i) => (Weights(skill), answer.Features[i])).ToList();
        item.Difficulty = KnowledgeTracing.LearnExercise(answer.Ability, item.Difficulty, item.Answers, Shared, skills, answer.Outcome, settings);
        item.Answers++;
    }

    public double Predict(ItemRow item, LearnerSnapshot learner, DateTimeOffset asOf) =>
        Predict(item, new LearnerView(learner, asOf, settings));

    /// <summary>
    /// Active exercises not excluded: weakest skill first, then nearest the target; exercises whose skills are all
    /// estimated mastered come after every other (review, once nothing is left to learn), the skill left alone longest
    /// first, so that review goes round the skills and a wrong estimate gets tested again.
    /// </summary>
    public PracticeCandidate[] Practice(IEnumerable<ItemRow> items, PracticeQuery query)
    {
        var learner = new LearnerView(query.Learner, query.AsOf, settings);
        var excluded = query.Exclude.ToHashSet(StringComparer.Ordinal);
        var candidates = new List<PracticeCandidate>();
        foreach (var item in items.Where(i => i.Active && i.Skills.Length > 0 && !excluded.Contains(i.Id)))
        {
            var (skill, mastery) = item.Skills.Select(s => (Skill: s, Mastery: Mastery(s, learner))).MinBy(s => s.Mastery);
            var success = Predict(item, learner);
            var score = mastery >= settings.MasteryThreshold
                ? -ReviewPenalty - learner.Recency(skill) - Math.Abs(success - query.TargetSuccess)
                : 1 - mastery - Math.Abs(success - query.TargetSuccess);
            candidates.Add(new PracticeCandidate(item.Id, success, skill, mastery, score));
        }

        return [.. candidates.OrderByDescending(c => c.Score).ThenBy(c => c.ItemId, StringComparer.Ordinal).Take(query.Count)];
    }

    private double Predict(ItemRow item, LearnerView learner) =>
        KnowledgeTracing.Predict(learner.Offset(item.Skills), item.Difficulty, Shared, [.. item.Skills.Select(s => (Weights(s), learner.Features(s)))]);

    /// <summary>P(success) on an exercise of average difficulty of the skill, by this shard's weights.</summary>
    private double Mastery(string skill, LearnerView learner) =>
        KnowledgeTracing.Sigmoid(learner.Offset([skill]) + KnowledgeTracing.SkillLogit(Shared, Weights(skill), learner.Features(skill)));

    private double[] Weights(string skill)
    {
        if (!state.SkillWeights.TryGetValue(skill, out var weights) || weights.Length != KnowledgeTracing.FeatureCount)
        {
            state.SkillWeights[skill] = weights = KnowledgeTracing.Padded(weights ?? [], KnowledgeTracing.FeatureCount);
        }

        return weights;
    }

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

        /// <summary>1 / (1 + minutes since the last answer on the skill): near 1 just after, 0 when never practiced.</summary>
        public double Recency(string skill)
        {
            var evidence = Evidence(skill);
            return evidence.Attempts == 0 ? 0 : 1 / (1 + Math.Max(0, asOf.ToUnixTimeMilliseconds() / 1000.0 - evidence.LastAt) / 60);
        }

        private SkillEvidence Evidence(string skill) =>
            snapshot.Skills.TryGetValue(skill, out var values) ? new SkillEvidence(values) : SkillEvidence.New();
    }
}
