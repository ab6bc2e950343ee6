namespace Personalization.Interfaces;

/// <summary>Configuration section "Oversight".</summary>
public sealed class OversightOptions
{
    public const string SectionName = "Oversight";

    /// <summary>How far back the oversight figures look.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Exposure grains served lists are spread over.</summary>
    public int Partitions { get; set; } = 4;
}
