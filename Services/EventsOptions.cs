namespace Personalization.Services;

/// <summary>Configuration section "Events": what the gateway accepts of an event.</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Events";

    /// <summary>
    /// How far in the future (by the gateway's clock) a timestamp may be: a later one would move an item's decay
    /// reference and escape retention.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromHours(1);
}
