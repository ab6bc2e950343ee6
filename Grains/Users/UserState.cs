using Personalization.Interfaces;

namespace Personalization.Grains.Users;

/// <summary>Everything stored about one user. Persisted as one row through the grain storage provider.</summary>
[GenerateSerializer, Alias("UserState")]
public sealed class UserState
{
    /// <summary>Long-term preference vector; empty until the first event.</summary>
    [Id(0)] public float[] Vector { get; set; } = [];

    [Id(1)] public Dictionary<string, SessionState> Sessions { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public string? LatestSessionId { get; set; }

    /// <summary>The most recent events, oldest first: the idempotency window (at least 10,000 ids) and the user's history.</summary>
    [Id(3)] public List<UserEvent> Interactions { get; set; } = [];

    /// <summary>Distinct items interacted with, oldest first (at least the last 5,000).</summary>
    [Id(4)] public List<string> Seen { get; set; } = [];

    /// <summary>Accepted events, all time.</summary>
    [Id(5)] public long InteractionCount { get; set; }

    [Id(6)] public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Sum of positive event weights per category of the items involved.</summary>
    [Id(7)] public Dictionary<string, double> CategoryAffinity { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last event-journal sequence this snapshot holds; later journal entries are replayed on activation.</summary>
    [Id(8)] public long JournalSequence { get; set; }

    /// <summary>The user opted out of personalization: then nothing else is stored.</summary>
    [Id(9)] public bool PersonalizationOff { get; set; }

    /// <summary>Learning mode: learner-wide evidence (<c>LearnerEvidence</c> slots); empty until the first answer.</summary>
    [Id(10)] public double[] Learner { get; set; } = [];

    /// <summary>Learning mode: evidence per practiced skill (<c>SkillEvidence</c> slots).</summary>
    [Id(11)] public Dictionary<string, double[]> Skills { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Learning mode: evidence per exercise answered (<c>ExerciseEvidence</c> slots), the latest
    /// <c>UserLimits.ExerciseCapacity</c>; empty in state stored before it existed.
    /// </summary>
    [Id(12)] public Dictionary<string, double[]> Exercises { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A session's short-term direction: a moving average of the items liked in it.</summary>
[GenerateSerializer, Alias("SessionState")]
public sealed class SessionState
{
    [Id(0)] public float[] Vector { get; set; } = [];

    [Id(1)] public DateTimeOffset LastEventAt { get; set; }
}
