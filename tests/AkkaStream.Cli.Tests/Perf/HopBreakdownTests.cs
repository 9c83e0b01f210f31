using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AkkaStream.Cli.Perf;
using AkkaStream.Records.Batches;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class HopBreakdownTests
{
    private static long StampAgo(TimeSpan ago) => Stopwatch.GetTimestamp() - (long)(ago.TotalSeconds * Stopwatch.Frequency);

    private static long WallMsAgo(TimeSpan ago) => (long)(DateTime.UtcNow - ago - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>The p50 of the figures that follow <paramref name="hop"/> in the summary, in ms.</summary>
    private static double Median(string summary, string hop)
    {
        var match = Regex.Match(summary, Regex.Escape(hop) + @" ([\d.]+) / ");
        Assert.True(match.Success, summary);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_log_append_time_splits_the_latency_at_the_leader()
    {
        // The stamp and the wall clock the breakdown converts by are given, so the split is exact.
        var anchorStamp = Stopwatch.GetTimestamp();
        var anchorWallMs = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        var breakdown = new HopBreakdown(anchorStamp, DateTime.UnixEpoch.AddMilliseconds(anchorWallMs));

        // Sent 50 ms before the anchor, appended by the leader 20 ms before it: 30 ms to the leader, 20 ms from it.
        var sentStamp = anchorStamp - (long)(0.050 * Stopwatch.Frequency);
        breakdown.Received(sentStamp, anchorWallMs - 20, TimestampType.LogAppendTime);
        breakdown.Acknowledged(anchorStamp - (long)(0.040 * Stopwatch.Frequency));

        var summary = breakdown.Summary();
        // Within the histogram's 1/64; the last two include the time this test itself takes, so they have only a floor.
        Assert.InRange(Median(summary, "send -> leader append"), 29.5, 30.5);
        Assert.InRange(Median(summary, "leader append -> receipt"), 19.5, 5_000);
        Assert.InRange(Median(summary, "send -> delivery report"), 39, 5_000);
    }

    [Fact]
    public void Records_that_keep_their_create_time_give_only_the_producer_side()
    {
        var breakdown = new HopBreakdown();

        breakdown.Received(StampAgo(TimeSpan.FromMilliseconds(50)), WallMsAgo(TimeSpan.FromMilliseconds(20)), TimestampType.CreateTime);
        breakdown.Acknowledged(StampAgo(TimeSpan.FromMilliseconds(10)));

        var summary = breakdown.Summary();
        Assert.StartsWith("breakdown: send -> delivery report ", summary);
        Assert.DoesNotContain("leader append", summary);
    }
}
