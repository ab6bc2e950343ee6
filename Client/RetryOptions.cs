namespace Personalization.Client;

/// <summary>How <see cref="RetryHandler"/> retries: tries in all, the first backoff, and the longest wait between tries.</summary>
public sealed record RetryOptions
{
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}
