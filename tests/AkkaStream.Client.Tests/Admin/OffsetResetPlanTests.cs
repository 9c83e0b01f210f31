using AkkaStream.Client.Admin;

namespace AkkaStream.Client.Tests.Admin;

/// <summary>The new offset each reset target gives a partition whose log holds offsets 100..500 and whose group committed 300.</summary>
public sealed class OffsetResetPlanTests
{
    private static readonly OffsetResetPlan.PartitionState Committed300 = new(300, LogStart: 100, LogEnd: 500, OffsetForTime: -1);

    [Fact]
    public void Earliest_and_latest_are_the_log_start_and_end()
    {
        Assert.Equal(100, OffsetResetPlan.NewOffset(new OffsetResetTarget.Earliest(), Committed300));
        Assert.Equal(500, OffsetResetPlan.NewOffset(new OffsetResetTarget.Latest(), Committed300));
    }

    [Theory]
    [InlineData(250, 250)]
    [InlineData(5, 100)]
    [InlineData(9_999, 500)]
    public void An_offset_is_clamped_to_the_log(long wanted, long expected) =>
        Assert.Equal(expected, OffsetResetPlan.NewOffset(new OffsetResetTarget.ToOffset(wanted), Committed300));

    [Theory]
    [InlineData(-50, 250)]
    [InlineData(150, 450)]
    [InlineData(-1_000, 100)]
    [InlineData(1_000, 500)]
    [InlineData(long.MaxValue, 500)]
    [InlineData(long.MinValue, 100)]
    public void A_shift_moves_the_committed_offset_within_the_log(long delta, long expected) =>
        Assert.Equal(expected, OffsetResetPlan.NewOffset(new OffsetResetTarget.ShiftBy(delta), Committed300));

    [Fact]
    public void A_shift_of_a_partition_never_committed_starts_at_the_log_end()
    {
        var uncommitted = Committed300 with { Committed = null };

        Assert.Equal(480, OffsetResetPlan.NewOffset(new OffsetResetTarget.ShiftBy(-20), uncommitted));
    }

    [Fact]
    public void A_time_takes_the_offset_the_leader_found_or_the_log_end_when_none_is_that_recent()
    {
        var found = Committed300 with { OffsetForTime = 420 };

        Assert.Equal(420, OffsetResetPlan.NewOffset(new OffsetResetTarget.ToTimestamp(1_700_000_000_000), found));
        Assert.Equal(500, OffsetResetPlan.NewOffset(new OffsetResetTarget.ToTimestamp(1_700_000_000_000), Committed300));
    }

    [Fact]
    public void An_empty_log_resets_every_target_to_its_start()
    {
        var empty = new OffsetResetPlan.PartitionState(null, LogStart: 40, LogEnd: 40, OffsetForTime: -1);

        Assert.Equal(40, OffsetResetPlan.NewOffset(new OffsetResetTarget.ToOffset(7), empty));
        Assert.Equal(40, OffsetResetPlan.NewOffset(new OffsetResetTarget.ShiftBy(3), empty));
    }
}
