using System.Diagnostics;
using System.Globalization;

namespace AkkaStream.Benchmarks;

/// <summary>
/// The latency line of an end-to-end run, the same for AkkaStream and for the peers measured
/// beside it, so that their figures compare: p50, p99, p99.9 and max of the records after the
/// warm-up, in ms, from <see cref="Stopwatch"/> ticks.
/// </summary>
internal static class LatencySummary
{
    public static string Describe(long[] latencies, long received, long warmup)
    {
        var counted = latencies[(int)Math.Min(warmup, received)..(int)received];
        if (counted.Length == 0) return "latency: no record counted";
        Array.Sort(counted);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double At(double quantile) => Ms(counted[Math.Min(counted.Length - 1, (int)(quantile * counted.Length))]);
        return string.Create(CultureInfo.InvariantCulture,
            $"latency over {counted.Length} records (warm-up {warmup} left out): p50 {At(0.50):F1} ms, p99 {At(0.99):F1} ms, p99.9 {At(0.999):F1} ms, max {Ms(counted[^1]):F1} ms");
    }
}
