using AkkaStream.Broker.Replication;

namespace AkkaStream.Broker.Tests.Replication;

public sealed class ReplicationThrottleTests
{
    [Fact]
    public void Throttled_fetches_wait_until_what_they_received_is_paid_off_at_the_rate_and_no_credit_builds_up()
    {
        var throttle = new ReplicationThrottle(10_000, nowMs: 0);
        Assert.True(throttle.IsOn);
        Assert.Equal(0, throttle.WaitMs(0)); // the first fetch goes at once
        throttle.Charge(5_000, 0);
        Assert.Equal(500, throttle.WaitMs(0));
        Assert.Equal(250, throttle.WaitMs(250));
        Assert.Equal(0, throttle.WaitMs(500));
        // Idle for a minute: no credit, so the next fetch after one is charged waits again.
        throttle.Charge(1_000, 60_500);
        Assert.Equal(100, throttle.WaitMs(60_500));
        // Bytes charged in one round add up, whichever partition or session received them.
        throttle.Charge(2_000, 60_600);
        throttle.Charge(3_000, 60_600);
        Assert.Equal(500, throttle.WaitMs(60_600));
    }

    [Fact]
    public void A_fetch_asks_for_a_tenth_of_a_seconds_worth_and_a_rate_of_zero_is_no_throttle()
    {
        Assert.Equal(1_000, new ReplicationThrottle(10_000, 0).FetchBytes(1 << 20));
        Assert.Equal(4_096, new ReplicationThrottle(1 << 30, 0).FetchBytes(4_096));
        Assert.Equal(1, new ReplicationThrottle(5, 0).FetchBytes(4_096));
        var off = new ReplicationThrottle(0, 0);
        Assert.False(off.IsOn);
        off.Charge(1 << 30, 0);
        Assert.Equal(0, off.WaitMs(0));
    }
}
