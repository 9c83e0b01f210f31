using AkkaStream.Broker.Metrics;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Web.Console.Charts;

/// <summary>
/// Keeps the last few minutes of this broker's traffic for the console's live charts: every
/// <see cref="Interval"/> it reads the broker's topic counters and request histograms (the
/// collectors <c>/metrics</c> exports, read directly: a whole collection would also run the
/// scrape-time gauges, whose group-lag questions keep every group entity awake) and turns the
/// counters' growth since the previous reading into rates — bytes in and out per second
/// over every topic, and each API's mean request latency over the interval. Sampling in the broker
/// (rather than in the page) gives every open page the same history, from before it was opened.
/// Thread-safe: one sampling loop writes, requests read a copy under a lock.
/// </summary>
public sealed class ChartSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Five minutes of points at one a second.</summary>
    public const int Capacity = 300;

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
                Add(Read(node.Metrics));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static Reading Read(BrokerMetrics metrics)
    {
        var latency = new Dictionary<string, (double Sum, double Count)>(StringComparer.Ordinal);
        // The prefixes say which way in: the Kafka listener labels by Kafka API, the gateway by request type.
        foreach (var (requests, prefix) in new[] { (metrics.KafkaRequests, "kafka "), (metrics.GatewayRequests, "gateway ") })
        {
            foreach (var labels in requests.Duration.GetAllLabelValues())
            {
                var api = requests.Duration.WithLabels(labels);
                latency[prefix + labels[0]] = (api.Sum, api.Count);
            }
        }
        return new Reading(DateTimeOffset.UtcNow, metrics.Topics.TotalBytesIn, metrics.Topics.TotalBytesOut, latency);
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
