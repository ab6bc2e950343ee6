namespace Personalization.Grains.Catalog;

/// <summary>
/// When the write-behind stores a shard's learned state: at most every <see cref="Interval"/> while events keep coming
/// (each store is large), and at the first tick without events, so that a quiet shard is not behind and the store is
/// not left for whatever load comes next.
/// </summary>
internal sealed class LearnedWriteSchedule(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private long _writtenAt = clock.GetTimestamp();

    /// <summary>Events changed the learned state since the last tick.</summary>
    private bool _changedThisTick;

    /// <summary>When the first change not yet handed to storage was made; 0 when there is none.</summary>
    private long _unwrittenSince;

    /// <summary>How long the oldest change not yet handed to storage has waited (the write-behind lag); zero when none.</summary>
    public TimeSpan Lag => Volatile.Read(ref _unwrittenSince) is var since and not 0 ? clock.GetElapsedTime(since) : TimeSpan.Zero;

    public void Changed()
    {
        _changedThisTick = true;
        if (_unwrittenSince == 0)
        {
            Volatile.Write(ref _unwrittenSince, clock.GetTimestamp());
        }
    }

    /// <summary>At a tick: whether a store is due. The tick's events are counted from here on.</summary>
    public bool DueAtTick()
    {
        var settled = !_changedThisTick;
        _changedThisTick = false;
        return settled || clock.GetElapsedTime(_writtenAt) >= Interval;
    }

    /// <summary>A store started.</summary>
    public void Started()
    {
        _writtenAt = clock.GetTimestamp();
        Volatile.Write(ref _unwrittenSince, 0);
    }
}
