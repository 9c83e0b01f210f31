using System.Globalization;
using AkkaStream.Cli.Formatting;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// The figures of a whole perf run, and the table <c>perf</c> ends with on standard output (after
/// its one-line summary, which scripts read). Latencies are microseconds; null for a run that
/// measures none (consume). Immutable.
/// </summary>
public sealed record PerfSummary(long Records, long Bytes, TimeSpan Elapsed, LatencyFigures? Latency)
{
    private const double MB = 1024.0 * 1024.0;

    public double Megabytes => Bytes / MB;

    public double RecordsPerSecond => Records / Math.Max(1e-9, Elapsed.TotalSeconds);

    public double MegabytesPerSecond => Megabytes / Math.Max(1e-9, Elapsed.TotalSeconds);

    /// <summary>A header and one row: records, MB, rates, and for a latency run avg/p50/p95/p99/p99.9/max in ms.</summary>
    public IEnumerable<string> Table()
    {
        List<string> header = ["RECORDS", "MB", "RECORDS/S", "MB/S"];
        List<string> row = [Records.ToString(CultureInfo.InvariantCulture), F(Megabytes, 2), F(RecordsPerSecond, 1), F(MegabytesPerSecond, 2)];
        if (Latency is { } latency)
        {
            header.AddRange(["AVG MS", "P50 MS", "P95 MS", "P99 MS", "P99.9 MS", "MAX MS"]);
            row.AddRange([Ms(latency.Mean), Ms(latency.P50), Ms(latency.P95), Ms(latency.P99), Ms(latency.P999), Ms(latency.Max)]);
        }
        return TextTable.Lines(header, [row]);
    }

    private static string Ms(double micros) => F(micros / 1000.0, 2);

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>Latency figures in microseconds (see <see cref="LatencyHistogram"/> for their precision).</summary>
public sealed record LatencyFigures(double Mean, long P50, long P95, long P99, long P999, long Max);
