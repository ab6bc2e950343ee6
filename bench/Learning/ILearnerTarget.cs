using Personalization.Interfaces;

namespace Personalization.Bench.Learning;

/// <summary>What the knowledge-tracing replay drives: the real grains in this process, or a running gateway over HTTP.</summary>
public interface ILearnerTarget : IAsyncDisposable
{
    /// <summary>"in-process", or the gateway's URL: the <c>target</c> of the report.</summary>
    string Name { get; }

    /// <summary>Creates the exercises, each with its skills.</summary>
    Task UpsertExercisesAsync(IReadOnlyList<(string ItemId, string[] Skills)> exercises);

    /// <summary>Sends answers of any learners as one batch (at most 1,000), in the given order.</summary>
    Task RecordAsync(IReadOnlyList<(string UserId, UserEvent Answer)> answers);

    /// <summary>The learner's predicted success on the exercise at <paramref name="asOf"/> (a gateway uses its own clock).</summary>
    Task<double> PredictAsync(string userId, string itemId, DateTimeOffset asOf);
}
