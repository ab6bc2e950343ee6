namespace Personalization.Model;

/// <summary>
/// A learner's evidence on one skill, stored as a plain <c>double[]</c> (so that grain state holds it as is): decayed
/// counts of right and wrong answers, the last three answers, moving averages at three speeds, attempts, the time of
/// the last answer, the knowledge logit as of that answer, and the learner's Elo ability on the skill.
/// </summary>
public readonly struct SkillEvidence(double[] values)
{
    public const int Length = 11;

    /// <summary>Code of "no answer yet" in <see cref="Pattern"/>: a leading 1 bit, then one bit per answer.</summary>
    private const int EmptyPattern = 1;

    public static SkillEvidence New() => new(new double[Length] { 0, 0, EmptyPattern, 0, 0, 0, 0, 0, 0, 0, 0 });

    public double[] Values => values;

    public double Correct { get => values[0]; set => values[0] = value; }

    public double Wrong { get => values[1]; set => values[1] = value; }

    /// <summary>The last (up to) three answers: a leading 1 then one bit each, newest lowest (1 to 15).</summary>
    public int Pattern { get => (int)values[2]; set => values[2] = value; }

    public double Fast { get => values[3]; set => values[3] = value; }

    public double Medium { get => values[4]; set => values[4] = value; }

    public double Slow { get => values[5]; set => values[5] = value; }

    public int Attempts { get => (int)values[6]; set => values[6] = value; }

    /// <summary>Time of the last answer, seconds since the Unix epoch.</summary>
    public double LastAt { get => values[7]; set => values[7] = value; }

    /// <summary>
    /// Logit of success on an exercise of average difficulty, overall ability left out (skill ability in), as of the
    /// last answer: the mastery figure without another grain call.
    /// </summary>
    public double Knowledge { get => values[8]; set => values[8] = value; }

    /// <summary>Mean difficulty of the exercises of this skill the learner answered.</summary>
    public double Difficulty { get => values[9]; set => values[9] = value; }

    /// <summary>The learner's ability on this skill beyond their overall ability (Elo: it weighs exercise difficulty).</summary>
    public double Ability { get => values[10]; set => values[10] = value; }
}

/// <summary>
/// What a learner did across skills: ability (Elo), right and wrong answers, the last answer, and moving averages of
/// the answers (how the learner is doing lately, whatever the skill).
/// </summary>
public readonly struct LearnerEvidence(double[] values)
{
    public const int Length = 7;

    public static LearnerEvidence New() => new(new double[Length]);

    /// <summary>
    /// The evidence held in <paramref name="values"/>: a new learner's when nothing is held yet; evidence stored before
    /// the moving averages existed is kept, the averages starting at 0.
    /// </summary>
    public static LearnerEvidence From(double[] values) => new(KnowledgeTracing.Padded(values, Length));

    public double[] Values => values;

    public double Ability { get => values[0]; set => values[0] = value; }

    public double Answers { get => values[1]; set => values[1] = value; }

    public double Correct { get => values[2]; set => values[2] = value; }

    public double Wrong { get => values[3]; set => values[3] = value; }

    /// <summary>The last answer on any skill, -1 (wrong) to 1 (right); 0 before the first.</summary>
    public double Last { get => values[4]; set => values[4] = value; }

    /// <summary>Moving averages of the answers on any skill (-1 wrong, +1 right), fast and slow.</summary>
    public double Fast { get => values[5]; set => values[5] = value; }

    public double Slow { get => values[6]; set => values[6] = value; }
}

/// <summary>
/// The learner model of learning mode: a logistic model of P(correct) in the spirit of PFA (Pavlik et al. 2009) with
/// recency and forgetting, plus Elo-style abilities and difficulty. For learner u and an exercise e with skills S:
/// <c>logit P = ability_u - difficulty_e + mean over s in S of (ability_us + (shared + w_s) . x_us)</c>, where x_us are the features of
/// the learner's evidence on skill s (<see cref="Features"/>). The learner grain keeps the evidence and ability; the
/// catalog shard owning e keeps its difficulty and the weights, all learned online from every answer (the weights with
/// AdaGrad steps, <see cref="AdaptiveWeights"/>).
/// </summary>
public static class KnowledgeTracing
{
    /// <summary>
    /// log(1 + right), log(1 + wrong), log((right + 1) / (wrong + 1)), three moving averages, log(1 + right) and
    /// log(1 + wrong) over all skills, the last answer on any skill, one indicator per pattern of the last three
    /// answers on the skill (15; the "no answer yet" one is the skill's intercept on a first attempt), two moving
    /// averages over all skills, and the learner's earlier answers on the same exercise: the last one right, the last
    /// one wrong (both 0 on a first attempt), log(1 + attempts). Features added later come last, so that weights
    /// learned before they existed still line up.
    /// </summary>
    public const int FeatureCount = 29;

    private const int PatternOffset = 9;
    private const int PatternBits = 3;
    private const int LearnerAveragesOffset = 24;
    /// <summary>Index of the first of the three exercise features (<see cref="WithExercise"/>).</summary>
    public const int ExerciseOffset = 26;
    private static readonly double[] _speeds = [0.5, 0.2, 0.05];
    private static readonly double[] _learnerSpeeds = [0.3, 0.1];

    public static double Sigmoid(double logit) => 1 / (1 + Math.Exp(-Math.Clamp(logit, -30, 30)));

    public static double Logit(double probability) => Math.Log(probability / (1 - probability));

    /// <summary>
    /// The features of a learner's evidence on one skill at <paramref name="asOf"/>; counts fade with time away. Without
    /// <paramref name="exercise"/> (mastery: an exercise of the skill in general) the exercise features are 0.
    /// </summary>
    public static double[] Features(
        LearnerEvidence learner, SkillEvidence skill, DateTimeOffset asOf, KnowledgeOptions settings, ExerciseEvidence? exercise = null)
    {
        var fade = skill.Attempts == 0 ? 1 : Retained(skill.LastAt, asOf, settings.ForgettingHalfLife);
        var correct = skill.Correct * fade;
        var wrong = skill.Wrong * fade;
        var x = new double[FeatureCount];
        x[0] = Math.Log(1 + correct);
        x[1] = Math.Log(1 + wrong);
        x[2] = Math.Log((correct + 1) / (wrong + 1));
        x[3] = skill.Fast;
        x[4] = skill.Medium;
        x[5] = skill.Slow;
        x[6] = Math.Log(1 + learner.Correct);
        x[7] = Math.Log(1 + learner.Wrong);
        x[8] = learner.Last;
        x[PatternOffset + skill.Pattern - 1] = 1;
        x[LearnerAveragesOffset] = learner.Fast;
        x[LearnerAveragesOffset + 1] = learner.Slow;
        if (exercise is { } answered)
        {
            WithExercise(x, answered);
        }

        return x;
    }

    /// <summary>Sets the exercise features of <paramref name="x"/> (a learner's features on a skill) from their earlier answers on it.</summary>
    public static double[] WithExercise(double[] x, ExerciseEvidence exercise)
    {
        var answered = exercise.Attempts > 0 ? 1 : 0;
        x[ExerciseOffset] = answered * exercise.Last;
        x[ExerciseOffset + 1] = answered * (1 - exercise.Last);
        x[ExerciseOffset + 2] = Math.Log(1 + exercise.Attempts);
        return x;
    }

    /// <summary>
    /// <paramref name="values"/> when it has <paramref name="length"/> numbers, else a copy cut or filled up with zeros:
    /// state stored by an earlier version (fewer weights or evidence numbers) keeps what it learned.
    /// </summary>
    public static double[] Padded(double[] values, int length)
    {
        if (values.Length == length)
        {
            return values;
        }

        var padded = new double[length];
        Array.Copy(values, padded, Math.Min(values.Length, length));
        return padded;
    }

    /// <summary>Share of evidence kept after the time since <paramref name="lastAt"/> (halving every half-life).</summary>
    public static double Retained(double lastAt, DateTimeOffset asOf, TimeSpan halfLife)
    {
        var away = Math.Max(0, asOf.ToUnixTimeMilliseconds() / 1000.0 - lastAt);
        return Math.Pow(0.5, away / halfLife.TotalSeconds);
    }

    /// <summary>(shared + skill) . x, the skill part of the logit.</summary>
    public static double SkillLogit(ReadOnlySpan<double> shared, ReadOnlySpan<double> skill, ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += (shared[i] + skill[i]) * x[i];
        }

        return sum;
    }

    /// <summary>
    /// The learner's side of the logit for an exercise of <paramref name="skills"/>: overall ability plus the mean
    /// ability on the skills.
    /// </summary>
    public static double Offset(LearnerEvidence learner, IReadOnlyList<SkillEvidence> skills) =>
        learner.Ability + (skills.Count == 0 ? 0 : skills.Average(s => s.Ability));

    /// <summary>P(correct) of a learner on an exercise: the learner's offset - difficulty + the mean skill logit.</summary>
    public static double Predict(double ability, double difficulty, double[] shared, IReadOnlyList<(double[] Weights, double[] Features)> skills)
    {
        var mean = skills.Count == 0 ? 0 : skills.Average(s => SkillLogit(shared, s.Weights, s.Features));
        return Sigmoid(ability - difficulty + mean);
    }

    /// <summary>
    /// The exercise's half of one answer: an AdaGrad step on the log loss for the shared and skill weights, and an Elo
    /// step for the difficulty (returned). <paramref name="answers"/> counts the exercise's earlier answers.
    /// </summary>
    public static double LearnExercise(
        double ability, double difficulty, long answers, AdaptiveWeights shared, IReadOnlyList<(AdaptiveWeights Weights, double[] Features)> skills,
        double outcome, KnowledgeOptions settings)
    {
        var error = outcome - Predict(ability, difficulty, shared.Weights, [.. skills.Select(s => (s.Weights.Weights, s.Features))]);
        foreach (var (weights, x) in skills)
        {
            for (var i = 0; i < x.Length; i++)
            {
                var gradient = error * x[i] / skills.Count;
                shared.Step(i, gradient, settings.SharedRate);
                weights.Step(i, gradient, settings.SkillRate);
            }
        }

        return difficulty - EloStep(settings.DifficultyRate, settings.DifficultyDecay, answers) * error;
    }

    /// <summary>
    /// The learner's half of one answer on a skill: the ability moves by the prediction error (Elo), the skill's
    /// evidence takes the answer (after fading), and the learner-wide counts. <paramref name="outcome"/> is 0..1
    /// (partial credit counts in part as right and in part as wrong).
    /// </summary>
    public static void LearnLearner(LearnerEvidence learner, double predicted, double outcome, KnowledgeOptions settings)
    {
        learner.Ability += EloStep(settings.AbilityRate, settings.AbilityDecay, (long)learner.Answers) * (outcome - predicted);
        var signed = 2 * outcome - 1;
        learner.Fast = learner.Answers == 0 ? signed : Blend(learner.Fast, signed, _learnerSpeeds[0]);
        learner.Slow = learner.Answers == 0 ? signed : Blend(learner.Slow, signed, _learnerSpeeds[1]);
        learner.Answers++;
        learner.Correct += outcome;
        learner.Wrong += 1 - outcome;
        learner.Last = signed;
    }

    /// <summary>
    /// Adds one answer to a skill's evidence (the counts first fade for the time since the last answer) and moves the
    /// skill ability by the prediction error.
    /// </summary>
    public static void Observe(SkillEvidence skill, double predicted, double outcome, double difficulty, DateTimeOffset at, KnowledgeOptions settings)
    {
        skill.Ability += EloStep(settings.SkillAbilityRate, settings.SkillAbilityDecay, skill.Attempts) * (outcome - predicted);
        var fade = skill.Attempts == 0 ? 1 : Retained(skill.LastAt, at, settings.ForgettingHalfLife);
        skill.Correct = skill.Correct * fade + outcome;
        skill.Wrong = skill.Wrong * fade + (1 - outcome);
        var right = outcome >= 0.5 ? 1 : 0;
        skill.Pattern = skill.Pattern < 1 << PatternBits
            ? skill.Pattern << 1 | right
            : (1 << PatternBits) | ((skill.Pattern << 1 | right) & ((1 << PatternBits) - 1));
        var signed = 2 * outcome - 1;
        skill.Fast = skill.Attempts == 0 ? signed : Blend(skill.Fast, signed, _speeds[0]);
        skill.Medium = skill.Attempts == 0 ? signed : Blend(skill.Medium, signed, _speeds[1]);
        skill.Slow = skill.Attempts == 0 ? signed : Blend(skill.Slow, signed, _speeds[2]);
        skill.Difficulty += (difficulty - skill.Difficulty) / (skill.Attempts + 1);
        skill.Attempts++;
        skill.LastAt = Math.Max(skill.LastAt, at.ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>The last (up to three) answers on the skill held in the evidence, oldest first: 1 right, 0 wrong.</summary>
    public static int[] LastAnswers(SkillEvidence skill)
    {
        var length = (int)Math.Log2(skill.Pattern);
        return [.. Enumerable.Range(0, length).Select(i => (skill.Pattern >> (length - 1 - i)) & 1)];
    }

    /// <summary>Estimated mastery: P(success) on an exercise of average difficulty (0) of the skill.</summary>
    public static double Mastery(LearnerEvidence learner, SkillEvidence skill) => Sigmoid(learner.Ability + skill.Knowledge);

    /// <summary>P(success) on the kind of exercise of the skill the learner has been answering (their mean difficulty).</summary>
    public static double PredictedSuccess(LearnerEvidence learner, SkillEvidence skill) =>
        Sigmoid(learner.Ability + skill.Knowledge - skill.Difficulty);

    /// <summary><c>rate / (1 + decay * n)</c>: big steps while little is known, steadier ones later.</summary>
    private static double EloStep(double rate, double decay, long n) => rate / (1 + decay * n);

    private static double Blend(double average, double value, double speed) => (1 - speed) * average + speed * value;
}
