using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>Learning mode: a learner's state, predicted success on exercises, and exercises to practice.</summary>
public sealed class LearnerService(IGrainFactory grains, IGrainCallPolicy policy, CatalogClient catalog, TimeProvider clock)
{
    /// <summary>A copy of the learner's state (ability, evidence per skill); empty when nothing is known.</summary>
    public Task<LearnerSnapshot> GetAsync(string userId) => policy.CallAsync(() => grains.User(userId).GetLearnerAsync());

    /// <summary>
    /// The learner's predicted success on each of <paramref name="itemIds"/> that is an exercise, in request order.
    /// <paramref name="asOf"/>: the time of the request, now unless a replay has its own clock (the bench).
    /// </summary>
    public async Task<ExercisePrediction[]> PredictAsync(string userId, IReadOnlyList<string> itemIds, DateTimeOffset? asOf = null)
    {
        var learner = await GetAsync(userId);
        return await catalog.PredictAsync(learner, itemIds, asOf ?? clock.GetUtcNow());
    }

    /// <summary>
    /// Exercises to practice in <see cref="PracticeOrder"/>: the learner's weakest skills first, within a skill the
    /// predicted success nearest <paramref name="targetSuccess"/>. Practice may propose an exercise the learner
    /// answered before: repetition is part of practice.
    /// </summary>
    public async Task<PracticeCandidate[]> PracticeAsync(string userId, double targetSuccess, int count, string[] exclude, DateTimeOffset? asOf = null)
    {
        var learner = await GetAsync(userId);
        return await catalog.PracticeAsync(new PracticeQuery(learner, targetSuccess, count, exclude, asOf ?? clock.GetUtcNow()));
    }
}
