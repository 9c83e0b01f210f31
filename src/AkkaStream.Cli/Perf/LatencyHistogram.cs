namespace AkkaStream.Cli.Perf;

/// <summary>
/// Latencies in whole microseconds, kept in log-linear buckets: exact below 128 µs, then 64
/// buckets per power of two, so a percentile read back is within 1/64 (about 1.6 %) of the
/// recorded value. Fixed size, no allocation per value. Not thread-safe: callers serialize.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private const int SubBits = 6;

    private readonly long[] _counts = new long[Linear + (63 - SubBits) * SubBuckets];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public double Sum { get; private set; }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }
        _counts[IndexOf(micros)]++;
        Count++;
        Sum += micros;
        if (micros > Max)
        {
            Max = micros;
        }
        if (micros < Min)
        {
            Min = micros;
        }
    }

    /// <summary>
    /// The smallest bucket value at or below which <paramref name="percentile"/> % of the recorded
    /// values lie (nearest rank), never above <see cref="Max"/>; 0 when empty.
    /// </summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percentile * Count / 100.0 - 1e-9));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(UpperBound(i), Min, Max);
            }
        }
        return Max;
    }

    public static int IndexOf(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }
        // micros >= 128: top bit at position b >= 7; keep the 7 leading bits (64..127).
        var shift = 63 - (int)long.LeadingZeroCount(micros) - SubBits;
        var sub = (int)(micros >> shift); // 64..127
        return Linear + (shift - 1) * SubBuckets + (sub - SubBuckets);
    }

    /// <summary>The largest value that falls into bucket <paramref name="index"/>.</summary>
    public static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        var shift = (index - Linear) / SubBuckets + 1;
        var sub = (long)((index - Linear) % SubBuckets + SubBuckets);
        return ((sub + 1) << shift) - 1;
    }
}
