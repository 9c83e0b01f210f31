using System.Diagnostics;
using System.Globalization;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// Counts records and bytes (and latencies, for produce) for a whole run and for the current
/// progress window. Thread-safe: delivery callbacks record on the producer actor's thread while
/// the progress loop reads from another.
/// </summary>
public sealed class PerfStats
{
    private const double MB = 1024.0 * 1024.0;

    private readonly object _gate = new();
    private readonly LatencyHistogram _latency = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _windowStart;
    private long _windowCount;
    private long _windowBytes;
    private double _windowLatencySum;
    private long _windowLatencyMax;

    public PerfStats() => _windowStart = _start;

    public long Records { get; private set; }

    public long Bytes { get; private set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>One record of <paramref name="bytes"/> done, <paramref name="latencyMicros"/> after it was sent (negative: no latency).</summary>
    public void Record(long bytes, long latencyMicros = -1)
    {
        lock (_gate)
        {
            Records++;
            Bytes += bytes;
            _windowCount++;
            _windowBytes += bytes;
            if (latencyMicros >= 0)
            {
                _latency.Record(latencyMicros);
                _windowLatencySum += latencyMicros;
                _windowLatencyMax = Math.Max(_windowLatencyMax, latencyMicros);
            }
        }
    }

    /// <summary>Many records at once, without latency (consume).</summary>
    public void RecordMany(long records, long bytes)
    {
        lock (_gate)
        {
            Records += records;
            Bytes += bytes;
            _windowCount += records;
            _windowBytes += bytes;
        }
    }

    /// <summary>The progress line for the window since the last call, and starts a new window.</summary>
    public string TakeWindow(string verb, bool withLatency)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var seconds = Math.Max(1e-9, Stopwatch.GetElapsedTime(_windowStart, now).TotalSeconds);
            var line = withLatency
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{_windowCount} records {verb}, {_windowCount / seconds:F1} records/sec ({_windowBytes / MB / seconds:F2} MB/sec), {(_windowCount == 0 ? 0 : _windowLatencySum / _windowCount / 1000.0):F1} ms avg latency, {_windowLatencyMax / 1000.0:F1} ms max latency.")
                : string.Create(CultureInfo.InvariantCulture,
                    $"{_windowCount} records {verb}, {_windowCount / seconds:F1} records/sec ({_windowBytes / MB / seconds:F2} MB/sec).");
            _windowStart = now;
            _windowCount = 0;
            _windowBytes = 0;
            _windowLatencySum = 0;
            _windowLatencyMax = 0;
            return line;
        }
    }

    /// <summary>The final line of a produce run, over <paramref name="elapsed"/>.</summary>
    public string ProduceSummary(TimeSpan elapsed) => LatencySummary("sent", elapsed);

    /// <summary>The final line of an end-to-end run (latency: send to receipt), over <paramref name="elapsed"/>.</summary>
    public string EndToEndSummary(TimeSpan elapsed) => LatencySummary("received end to end", elapsed);

    private string LatencySummary(string verb, TimeSpan elapsed)
    {
        lock (_gate)
        {
            var seconds = Math.Max(1e-9, elapsed.TotalSeconds);
            return string.Create(CultureInfo.InvariantCulture,
                $"{Records} records {verb}, {Records / seconds:F1} records/sec ({Bytes / MB / seconds:F2} MB/sec), {_latency.Mean / 1000.0:F2} ms avg latency, {_latency.Max / 1000.0:F2} ms max latency, {Ms(50)} ms 50th, {Ms(99)} ms 99th, {Ms(99.9)} ms 99.9th.");
        }
    }

    /// <summary>The final line of a consume run, over <paramref name="elapsed"/>.</summary>
    public string ConsumeSummary(TimeSpan elapsed)
    {
        lock (_gate)
        {
            var seconds = Math.Max(1e-9, elapsed.TotalSeconds);
            return string.Create(CultureInfo.InvariantCulture,
                $"{Records} records received, {Records / seconds:F1} records/sec ({Bytes / MB / seconds:F2} MB/sec), {Bytes / MB:F2} MB in {elapsed.TotalMilliseconds:F0} ms.");
        }
    }

    /// <summary>The whole run's figures over <paramref name="elapsed"/>, with its latencies when <paramref name="withLatency"/>.</summary>
    public PerfSummary Summary(TimeSpan elapsed, bool withLatency)
    {
        lock (_gate)
        {
            var latency = withLatency
                ? new LatencyFigures(_latency.Mean, _latency.Percentile(50), _latency.Percentile(95), _latency.Percentile(99), _latency.Percentile(99.9), _latency.Max)
                : null;
            return new PerfSummary(Records, Bytes, elapsed, latency);
        }
    }

    /// <summary>A copy of the latency percentiles (µs): p50, p99, p99.9, max.</summary>
    public (long P50, long P99, long P999, long Max) Percentiles()
    {
        lock (_gate)
        {
            return (_latency.Percentile(50), _latency.Percentile(99), _latency.Percentile(99.9), _latency.Max);
        }
    }

    private string Ms(double percentile) => (_latency.Percentile(percentile) / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
}
