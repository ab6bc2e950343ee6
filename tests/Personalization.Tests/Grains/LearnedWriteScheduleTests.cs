using Personalization.Grains.Catalog;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>When a shard's write-behind stores its learned state.</summary>
public sealed class LearnedWriteScheduleTests
{
    private static readonly TimeSpan Tick = ShardStore.FlushInterval;

    [Fact]
    public void A_store_is_due_at_the_first_tick_without_events_and_not_at_a_tick_with_them()
    {
        var clock = new ManualClock();
        var schedule = new LearnedWriteSchedule(clock);

        schedule.Changed();
        clock.Advance(Tick);
        Assert.False(schedule.DueAtTick());

        clock.Advance(Tick);
        Assert.True(schedule.DueAtTick());
    }

    [Fact]
    public void While_events_keep_coming_a_store_is_due_once_an_interval_has_passed_since_the_last_one_started()
    {
        var clock = new ManualClock();
        var schedule = new LearnedWriteSchedule(clock);
        var due = new List<int>();
        for (var tick = 1; tick <= 14; tick++)
        {
            schedule.Changed();
            clock.Advance(Tick);
            if (schedule.DueAtTick())
            {
                due.Add(tick);
                schedule.Started();
            }
        }

        var ticksPerInterval = (int)(LearnedWriteSchedule.Interval / Tick);
        Assert.Equal([ticksPerInterval, 2 * ticksPerInterval], due);
    }

    [Fact]
    public void A_busy_tick_long_after_the_last_store_is_due_at_once()
    {
        var clock = new ManualClock();
        var schedule = new LearnedWriteSchedule(clock);
        clock.Advance(LearnedWriteSchedule.Interval);

        schedule.Changed();
        Assert.True(schedule.DueAtTick());
    }
}
