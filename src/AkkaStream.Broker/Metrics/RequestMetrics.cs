using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaStream.Records.Errors;
using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// Kafka's RequestMetrics for one way into the broker (the Kafka listener, or the gateway every
/// request passes): requests received, the time until each was answered, and the error codes in
/// the answers, per API. Thread-safe; <see cref="For"/> caches each API's children.
/// </summary>
public sealed class RequestMetrics
{
    /// <summary>From half a millisecond to 10 s: produce and fetch answers, long-polled fetches and group joins.</summary>
    private static readonly double[] DurationBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<string, RequestMeters> _byApi = new(StringComparer.Ordinal);

    /// <param name="prefix">The family's name prefix, e.g. <c>akkastream_kafka_request</c>.</param>
    /// <param name="label">The label naming the API (<c>api</c>, or <c>request</c> for the actor protocol's message types).</param>
    /// <param name="where">Where the requests are counted, for the help text.</param>
    internal RequestMetrics(IMetricFactory factory, string prefix, string label, string where)
    {
        Requests = factory.CreateCounter($"{prefix}s_total",
            $"Requests received by {where}, by API (kafka.network:type=RequestMetrics,name=RequestsPerSec).",
            new CounterConfiguration { LabelNames = [label] });
        Duration = factory.CreateHistogram($"{prefix}_duration_seconds",
            $"Time from receiving a request to its answer, by {where}, by API (kafka.network:type=RequestMetrics,name=TotalTimeMs).",
            new HistogramConfiguration { LabelNames = [label], Buckets = DurationBuckets });
        Errors = factory.CreateCounter($"{prefix}_errors_total",
            $"Error codes in the answers of {where}, by API and Kafka error code (kafka.network:type=RequestMetrics,name=ErrorsPerSec).",
            new CounterConfiguration { LabelNames = [label, "error"] });
    }

    public Counter Requests { get; }

    public Histogram Duration { get; }

    public Counter Errors { get; }

    public RequestMeters For(string api) => _byApi.GetOrAdd(api, a => new RequestMeters(this, a));
}

/// <summary>One API's request counter and latency histogram (labelled children, looked up once).</summary>
public sealed class RequestMeters
{
    private readonly RequestMetrics _metrics;

    internal RequestMeters(RequestMetrics metrics, string api)
    {
        _metrics = metrics;
        Api = api;
        Requests = metrics.Requests.WithLabels(api);
        Duration = metrics.Duration.WithLabels(api);
    }

    public string Api { get; }

    public Counter.Child Requests { get; }

    public Histogram.Child Duration { get; }

    /// <summary>Counts a request arriving; returns the timestamp to pass to <see cref="Answered"/>.</summary>
    public long Received()
    {
        Requests.Inc();
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Records the time since <paramref name="received"/> (a <see cref="Received"/> timestamp).</summary>
    public void Answered(long received) => Duration.Observe(Stopwatch.GetElapsedTime(received).TotalSeconds);

    /// <summary>Counts one error code of an answer; <see cref="ErrorCode.None"/> is not counted.</summary>
    public void Failed(ErrorCode error)
    {
        if (error != ErrorCode.None) _metrics.Errors.WithLabels(Api, error.ToString()).Inc();
    }
}
