namespace Personalization.Grains.Users;

/// <summary>Bounds on what a user grain keeps, each at least what the API promises (docs/architecture.md).</summary>
internal static class UserLimits
{
    /// <summary>Event ids remembered for idempotency, at least.</summary>
    public const int IdempotencyWindow = 10_000;

    /// <summary>Trimming happens in chunks so the window is not rewritten on every event.</summary>
    public const int TrimChunk = 1_000;

    /// <summary>Distinct recent items excluded from recommendations.</summary>
    public const int SeenCapacity = 5_000;

    /// <summary>Sessions kept besides the latest.</summary>
    public const int SessionCapacity = 8;

    /// <summary>Journal appends after which the grain state is written as a snapshot (bounds replay on activation).</summary>
    public const int SnapshotEvery = 100;

    /// <summary>
    /// Categories whose affinity a user keeps: past it the one of least weight goes (never the one just touched), so
    /// that the user's strong interests stay however many categories a client invents.
    /// </summary>
    public const int CategoryCapacity = 256;

    /// <summary>Skills whose evidence a learner keeps: past it the skill answered longest ago goes.</summary>
    public const int SkillCapacity = 1_024;

    /// <summary>Exercises whose last answer a learner keeps: past it the exercise answered longest ago goes.</summary>
    public const int ExerciseCapacity = 256;

    /// <summary>Categories reported in the profile.</summary>
    public const int TopCategories = 3;
}
