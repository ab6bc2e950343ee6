namespace Personalization.Model;

/// <summary>
/// An exponentially time-decayed counter stored as its value at a reference time. Ratios between counters do not change
/// as time passes, so rankings by popularity are stable between events.
/// </summary>
public readonly record struct DecayingCount(double Value, long AtTicks)
{
    public DecayingCount Add(double amount, DateTimeOffset at, TimeSpan halfLife)
    {
        // Never move the reference time backwards: late events are decayed to the current reference instead.
        var reference = Math.Max(AtTicks, at.UtcTicks);
        return new DecayingCount(ValueAt(reference, halfLife) + amount * Decay(reference - at.UtcTicks, halfLife), reference);
    }

    public double ValueAt(DateTimeOffset at, TimeSpan halfLife) => ValueAt(at.UtcTicks, halfLife);

    private double ValueAt(long ticks, TimeSpan halfLife) => Value * Decay(ticks - AtTicks, halfLife);

    private static double Decay(long elapsedTicks, TimeSpan halfLife) =>
        elapsedTicks <= 0 ? 1 : Math.Pow(0.5, (double)elapsedTicks / halfLife.Ticks);

    /// <summary>Squashes a decayed count into [0, 1), comparable across shards without a global maximum.</summary>
    public static float Score(double decayed, float saturation) => (float)(decayed / (decayed + saturation));
}
