namespace Personalization.Model;

/// <summary>The interaction types the service understands and the signed learning weight each carries.</summary>
public static class EventSignal
{
    public const string Rating = "rating";

    /// <summary>An answer to an exercise (learning mode): <c>value</c> 0 (wrong) to 1 (right), partial credit between.</summary>
    public const string Answer = "answer";

    /// <summary>Weights of the event types that carry no value. Positive pulls the user toward the item.</summary>
    private static readonly Dictionary<string, float> _weights = new(StringComparer.Ordinal)
    {
        ["view"] = 0.3f,
        ["click"] = 1f,
        ["like"] = 1.5f,
        ["dislike"] = -1f,
        ["add_to_cart"] = 2f,
        ["purchase"] = 3f,
        ["skip"] = -0.3f,
        [Rating] = 1f,
        [Answer] = 1f,
    };

    public static IReadOnlyCollection<string> Types => _weights.Keys;

    public static bool IsKnown(string type) => _weights.ContainsKey(type);

    /// <summary>
    /// The one instance of a known type's name (its literal above), so that every event kept in memory shares it
    /// instead of holding a copy read from a request or from storage; an unknown type as it is.
    /// </summary>
    public static string Shared(string type) => string.IsInterned(type) is { } shared && IsKnown(type) ? shared : type;

    /// <summary>Whether the type needs a <c>value</c> (ratings and answers do; the others reject one).</summary>
    public static bool RequiresValue(string type) => type is Rating or Answer;

    public const double MinRating = 0.5;
    public const double MaxRating = 5;

    /// <summary>The range of <c>value</c> for a type that requires one.</summary>
    public static (double Min, double Max) ValueRange(string type) => type == Answer ? (0, 1) : (MinRating, MaxRating);

    /// <summary>
    /// Signed weight of an event. A rating says the user engaged with the item, more strongly the higher it is: it maps
    /// linearly from <see cref="LearningOptions.LowestRatingWeight"/> at 0.5 stars to 1 at 5 stars (tuned on
    /// MovieLens, where every rated item counts as relevant; see docs/quality.md). Answering an exercise is engagement
    /// whatever the outcome: correctness teaches the learner model, not the taste model.
    /// </summary>
    public static float Weight(string type, double? value, LearningOptions settings)
    {
        if (type == Rating)
        {
            var position = (float)((value!.Value - MinRating) / (MaxRating - MinRating));
            return settings.LowestRatingWeight + (1 - settings.LowestRatingWeight) * position;
        }

        return _weights[type];
    }
}
