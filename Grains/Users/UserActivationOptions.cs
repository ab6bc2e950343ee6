namespace Personalization.Grains.Users;

/// <summary>Configuration section "Users": how long a user's grain stays in memory without calls.</summary>
public sealed class UserActivationOptions
{
    public const string SectionName = "Users";

    /// <summary>
    /// A user grain without calls for this long is deactivated: its state is on disk, its memory goes back to the
    /// silo, and the user's next call activates it again from storage.
    /// </summary>
    public TimeSpan IdleDeactivation { get; set; } = TimeSpan.FromMinutes(10);
}
