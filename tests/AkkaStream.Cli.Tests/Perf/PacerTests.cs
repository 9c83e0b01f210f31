using AkkaStream.Cli.Perf;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class PacerTests
{
    [Fact]
    public void A_sender_ahead_of_the_rate_waits_until_the_record_is_due()
    {
        var pacer = new Pacer(1_000);

        Assert.Equal(TimeSpan.FromMilliseconds(250), pacer.WaitBefore(500, TimeSpan.FromMilliseconds(250)));
        Assert.Equal(TimeSpan.Zero, pacer.WaitBefore(500, TimeSpan.FromMilliseconds(600)));
    }

    [Fact]
    public void Waits_shorter_than_a_millisecond_are_skipped()
    {
        var pacer = new Pacer(1_000_000);

        Assert.Equal(TimeSpan.Zero, pacer.WaitBefore(500, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(2), pacer.WaitBefore(2_000, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void A_rate_of_zero_or_less_is_unlimited(double rate)
    {
        var pacer = new Pacer(rate);

        Assert.True(pacer.Unlimited);
        Assert.Equal(TimeSpan.Zero, pacer.WaitBefore(1_000_000_000, TimeSpan.Zero));
    }

    [Fact]
    public void Pacing_a_run_keeps_its_average_at_the_rate()
    {
        var pacer = new Pacer(10_000);
        var clock = TimeSpan.Zero;
        for (long sent = 0; sent < 50_000; sent++)
        {
            clock += pacer.WaitBefore(sent, clock);
            clock += TimeSpan.FromTicks(10); // sending costs 1 µs
        }

        Assert.InRange(clock.TotalSeconds, 4.99, 5.05);
    }
}
