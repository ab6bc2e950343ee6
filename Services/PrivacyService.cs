using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>What is held about a person, and the person's rights over it: export, erasure, objection to profiling.</summary>
public sealed class PrivacyService(IGrainFactory grains, IGrainCallPolicy policy)
{
    /// <summary>The public profile; an unknown user has no history yet.</summary>
    public Task<UserProfile> GetProfileAsync(string userId) => policy.CallAsync(() => grains.User(userId).GetProfileAsync());

    /// <summary>Everything stored about the user.</summary>
    public Task<UserExport> ExportAsync(string userId) => policy.CallAsync(() => grains.User(userId).ExportAsync());

    /// <summary>Deletes every stored trace of the user.</summary>
    public Task EraseAsync(string userId) => policy.CallAsync(() => grains.User(userId).EraseAsync());

    /// <summary>Turning personalization off erases the user's data and keeps only that choice.</summary>
    public Task SetConsentAsync(string userId, bool personalization) =>
        policy.CallAsync(() => grains.User(userId).SetConsentAsync(personalization));
}
