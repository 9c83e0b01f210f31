using System.Diagnostics;
using System.Globalization;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>Repeated measurements of one figure, summarized by median and range. Not thread-safe.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public IReadOnlyList<double> Values => _values;

    public void Add(double value) => _values.Add(value);

    public double Median => MedianOf(_values);

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>"median (min–max)", with <paramref name="format"/> applied to each.</summary>
    public string Summary(string format = "F0") =>
        _values.Count == 0 ? "—"
        : _values.Count == 1 ? Format(Median, format)
        : $"{Format(Median, format)} ({Format(Min, format)}–{Format(Max, format)})";

    public static double MedianOf(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static string Format(double value, string format = "F0") =>
        double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Timing helpers. Thread-safe (stateless).</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> and returns the seconds it took.</summary>
    public static double Seconds(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>A size in MiB with one decimal, e.g. "1024.0 MiB".</summary>
    public static string MiB(long bytes) => $"{Samples.Format(bytes / (double)BenchOptions.MiB, "F1")} MiB";

    /// <summary>Decimal megabytes per second.</summary>
    public static double MBps(long bytes, double seconds) => bytes / seconds / 1e6;

    /// <summary>"PASS" when the ratio reaches the target, otherwise "BELOW". Speed never fails the run.</summary>
    public static string Marker(double ratio) => ratio >= BenchOptions.Target ? "PASS" : "BELOW";

    /// <summary>A ratio with its marker, e.g. "0.93 PASS".</summary>
    public static string RatioCell(double ratio) => $"{Samples.Format(ratio, "F2")} {Marker(ratio)}";

    /// <summary>Collects garbage from setup so that it is not collected inside a timed section.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
