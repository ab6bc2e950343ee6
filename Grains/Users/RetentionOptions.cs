namespace Personalization.Grains.Users;

/// <summary>Configuration section "Retention": how long stored interactions are kept (event time). Off by default.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Interactions older than this (now minus their timestamp) are dropped from state and storage; null keeps all.</summary>
    public TimeSpan? MaxAge { get; set; }
}
