using System.Globalization;

namespace AkkaStream.Benchmarks;

/// <summary>One run's outcome: records and value bytes done in <see cref="Elapsed"/>, and how many failed.</summary>
internal sealed record RunResult(string Verb, long Records, long Bytes, TimeSpan Elapsed, long Failed, string? FirstError)
{
    /// <summary>MB as <c>akkastream perf</c> and Kafka's perf tools count it: 2^20 bytes.</summary>
    private const double MB = 1024.0 * 1024.0;

    /// <summary>
    /// The summary line, in the form of <c>akkastream perf</c>'s so that one script reads both
    /// (the fourth word is records/s).
    /// </summary>
    public override string ToString()
    {
        var seconds = Math.Max(1e-9, Elapsed.TotalSeconds);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{Records} records {Verb}, {Records / seconds:F1} records/sec ({Bytes / MB / seconds:F2} MB/sec), {Bytes / MB:F2} MB in {Elapsed.TotalMilliseconds:F0} ms, {Failed} failed.");
        return FirstError is null ? line : $"{line} First error: {FirstError}";
    }
}
