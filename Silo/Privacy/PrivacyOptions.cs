namespace Personalization.Silo.Privacy;

/// <summary>Configuration section "Privacy": the master key that wraps every person's data key.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Base64 of 32 random bytes. Standalone: generated beside the data when unset; cluster: required.</summary>
    public string? MasterKey { get; set; }

    /// <summary>
    /// Comma-separated earlier master keys (base64): keys wrapped under them are re-wrapped under <see cref="MasterKey"/>
    /// when a silo starts. Drop them once every silo runs with the new key.
    /// </summary>
    public string? PreviousMasterKeys { get; set; }

    /// <summary>Unwrapped person keys kept in memory per silo.</summary>
    public int KeyCacheCapacity { get; set; } = 100_000;
}
