using System.Text;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Web.Console.Charts;

/// <summary>
/// Keeps the last few minutes of this broker's traffic for the console's live charts: every
/// <see cref="Interval"/> it reads the broker's metrics registry (as <c>/metrics</c> exports it) and
/// turns the counters' growth since the previous reading into rates — bytes in and out per second
/// over every topic, and each API's mean request latency over the interval. Sampling in the broker
/// (rather than in the page) gives every open page the same history, from before it was opened.
/// Thread-safe: one sampling loop writes, requests read a copy under a lock.
/// </summary>
public sealed class ChartSampler : IAsyncDisposable
{
    public const string BytesInFamily = "akkastream_topic_bytes_in_total";
    public const string BytesOutFamily = "akkastream_topic_bytes_out_total";

    /// <summary>The request-latency histograms, with the label naming the API in each and the prefix the charts give it.</summary>
    private static readonly (string Family, string Label, string Prefix)[] LatencyFamilies =
    [
        ("akkastream_kafka_request_duration_seconds", "api", "kafka "),
        ("akkastream_gateway_request_duration_seconds", "request", "gateway "),
    ];

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Five minutes of points at one a second.</summary>
    public const int Capacity = 300;

    private static readonly IReadOnlySet<string> Names = new HashSet<string>(
        LatencyFamilies.SelectMany(f => new[] { f.Family + "_sum", f.Family + "_count" }).Append(BytesInFamily).Append(BytesOutFamily),
        StringComparer.Ordinal);

    private readonly BrokerHandle _broker;
    private readonly object _lock = new();
    private readonly Queue<ChartPoint> _points = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Reading? _previous;

    /// <param name="Time">Milliseconds since the Unix epoch.</param>
    /// <param name="LatencyMs">Mean latency over the interval, in ms, of each API that was asked in it.</param>
    public sealed record ChartPoint(long Time, double BytesInPerSec, double BytesOutPerSec, IReadOnlyDictionary<string, double> LatencyMs);

    /// <summary>The counters at one moment: bytes in and out, and each API's latency sum (seconds) and count.</summary>
    private sealed record Reading(DateTimeOffset Time, double BytesIn, double BytesOut, IReadOnlyDictionary<string, (double Sum, double Count)> Latency);

    public ChartSampler(BrokerHandle broker)
    {
        _broker = broker;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The points so far, oldest first.</summary>
    public IReadOnlyList<ChartPoint> Points()
    {
        lock (_lock) return [.. _points];
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_broker.Node is not { } node || node.System.WhenTerminated.IsCompleted) continue;
                using var text = new MemoryStream();
                await node.Metrics.Registry.CollectAndExportAsTextAsync(text, _stop.Token).ConfigureAwait(false);
                Add(Read(Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length)));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static Reading Read(string exposition)
    {
        var samples = PrometheusText.Parse(exposition, Names);
        var latency = new Dictionary<string, (double Sum, double Count)>(StringComparer.Ordinal);
        foreach (var (family, label, prefix) in LatencyFamilies)
        {
            foreach (var sample in samples.Where(s => s.Name.StartsWith(family, StringComparison.Ordinal)))
            {
                var api = prefix + sample.Labels.GetValueOrDefault(label, "");
                var (sum, count) = latency.GetValueOrDefault(api);
                latency[api] = sample.Name.EndsWith("_sum", StringComparison.Ordinal) ? (sample.Value, count) : (sum, sample.Value);
            }
        }
        return new Reading(DateTimeOffset.UtcNow,
            samples.Where(s => s.Name == BytesInFamily).Sum(s => s.Value),
            samples.Where(s => s.Name == BytesOutFamily).Sum(s => s.Value),
            latency);
    }

    private void Add(Reading reading)
    {
        lock (_lock)
        {
            if (_previous is { } previous)
            {
                var seconds = Math.Max((reading.Time - previous.Time).TotalSeconds, 0.001);
                var latency = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (api, now) in reading.Latency)
                {
                    var before = previous.Latency.GetValueOrDefault(api);
                    var asked = now.Count - before.Count;
                    if (asked > 0) latency[api] = (now.Sum - before.Sum) / asked * 1000;
                }
                _points.Enqueue(new ChartPoint(reading.Time.ToUnixTimeMilliseconds(),
                    Math.Max(0, reading.BytesIn - previous.BytesIn) / seconds,
                    Math.Max(0, reading.BytesOut - previous.BytesOut) / seconds,
                    latency));
                while (_points.Count > Capacity) _points.Dequeue();
            }
            _previous = reading;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
