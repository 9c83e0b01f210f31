using AkkaStream.Broker.Partitions;

namespace AkkaStream.Broker.Tests.Partitions;

public sealed class ReplicaTrackerTests
{
    [Fact]
    public void The_high_watermark_is_the_lowest_log_end_in_the_isr_and_waits_for_unknown_followers()
    {
        var tracker = new ReplicaTracker(1, [1, 2, 3], [1, 2, 3], nowMs: 0);
        Assert.Null(tracker.HighWatermark(10));
        tracker.FollowerFetched(2, 7, 10, 1);
        Assert.Null(tracker.HighWatermark(10));
        tracker.FollowerFetched(3, 4, 10, 1);
        Assert.Equal(4, tracker.HighWatermark(10));
        tracker.SetIsr([1, 2]);
        Assert.Equal(7, tracker.HighWatermark(10));
        tracker.SetIsr([1]);
        Assert.Equal(10, tracker.HighWatermark(10));
    }

    [Fact]
    public void A_follower_behind_the_log_end_for_longer_than_the_lag_leaves_and_one_at_the_high_watermark_returns()
    {
        var tracker = new ReplicaTracker(1, [1, 2, 3], [1, 2, 3], nowMs: 0);
        tracker.FollowerFetched(2, 5, 5, 100);   // caught up at 100
        tracker.FollowerFetched(3, 5, 5, 100);
        tracker.FollowerFetched(2, 8, 8, 900);   // keeps up
        Assert.Null(tracker.Shrunk(8, 550, 500)); // 3 was caught up at 100: within the lag
        // 3 fetched at 100 and not since; the leader is at 8 now: out of sync after 500 ms.
        Assert.Equal([1, 2], tracker.Shrunk(8, 1000, 500)!);
        // A follower at the log end is in sync however long ago it fetched (nothing to fall behind on).
        var idle = new ReplicaTracker(1, [1, 2], [1, 2], nowMs: 0);
        idle.FollowerFetched(2, 5, 5, 100);
        Assert.Null(idle.Shrunk(5, 60_000, 500));

        tracker.SetIsr([1, 2]);
        Assert.Null(tracker.Expanded(3, 8, 0));
        tracker.FollowerFetched(3, 8, 9, 1100);
        Assert.Equal([1, 2, 3], tracker.Expanded(3, 8, 0)!);
        Assert.Null(tracker.Expanded(3, 8, 9)); // not yet at the start of this leader's epoch
        Assert.Null(tracker.Expanded(2, 8, 0)); // already in the ISR
    }

    [Fact]
    public void Only_the_follower_that_fetched_is_proposed_for_the_ISR()
    {
        // Follower 3 caught up, then left the ISR and stopped fetching (its broker went away): its
        // last position stays, but 2's fetches do not propose it again.
        var tracker = new ReplicaTracker(1, [1, 2, 3], [1, 2], nowMs: 0);
        tracker.FollowerFetched(3, 8, 8, 100);
        tracker.FollowerFetched(2, 8, 8, 200);
        Assert.Null(tracker.Expanded(2, 8, 0));
        Assert.Equal([1, 2, 3], tracker.Expanded(3, 8, 0)!);
    }

    [Fact]
    public void A_follower_that_reached_the_previous_fetchs_log_end_counts_as_caught_up_then()
    {
        var tracker = new ReplicaTracker(1, [1, 2], [1, 2], nowMs: 0);
        tracker.FollowerFetched(2, 0, 10, 1000);   // leader end 10 at this fetch
        tracker.FollowerFetched(2, 10, 20, 2000);  // reached 10: caught up as of 1000
        Assert.Null(tracker.Shrunk(20, 1400, 500));
        Assert.Equal([1], tracker.Shrunk(20, 1600, 500)!);
    }
}
