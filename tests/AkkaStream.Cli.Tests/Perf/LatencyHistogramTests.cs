using AkkaStream.Cli.Perf;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_of_a_uniform_spread_are_within_the_bucket_precision()
    {
        var histogram = new LatencyHistogram();
        for (long us = 1; us <= 100_000; us++)
        {
            histogram.Record(us);
        }

        Assert.Equal(100_000, histogram.Count);
        Assert.Equal(100_000, histogram.Max);
        Assert.InRange(histogram.Percentile(50), 50_000, 50_000 * 1.016);
        Assert.InRange(histogram.Percentile(99), 99_000, 99_000 * 1.016);
        Assert.InRange(histogram.Percentile(99.9), 99_900, 100_000);
        Assert.Equal(100_000, histogram.Percentile(100));
        Assert.Equal(50_000.5, histogram.Mean, 3);
    }

    [Fact]
    public void Small_values_are_exact_and_a_single_outlier_is_only_the_tail()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 999; i++)
        {
            histogram.Record(7);
        }
        histogram.Record(3_000_000);

        Assert.Equal(7, histogram.Percentile(50));
        Assert.Equal(7, histogram.Percentile(99));
        Assert.Equal(7, histogram.Percentile(99.9));
        Assert.Equal(3_000_000, histogram.Percentile(99.99));
        Assert.Equal(3_000_000, histogram.Max);
    }

    [Fact]
    public void An_empty_histogram_reads_zero()
    {
        Assert.Equal(0, new LatencyHistogram().Percentile(99));
    }

    [Theory]
    [InlineData(127L)]
    [InlineData(128L)]
    [InlineData(1_000L)]
    [InlineData(123_456_789L)]
    [InlineData(long.MaxValue / 2)]
    public void Every_value_falls_in_a_bucket_whose_upper_bound_is_close_above_it(long value)
    {
        var bound = LatencyHistogram.UpperBound(LatencyHistogram.IndexOf(value));

        Assert.InRange(bound, value, value + value / 64 + 1);
    }
}
