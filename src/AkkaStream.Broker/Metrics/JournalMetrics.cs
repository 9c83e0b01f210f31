using System.Diagnostics;
using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// The cluster journal's write latency as the persistent actors see it: from <c>Persist</c> to the
/// persisted callback (the journal's batching, the database write and the reply), by writer
/// (<c>controller</c>, <c>partition</c>, <c>group</c>). Thread-safe.
/// </summary>
public sealed class JournalMetrics
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    internal JournalMetrics(IMetricFactory factory)
    {
        WriteDuration = factory.CreateHistogram("akkastream_journal_write_duration_seconds",
            "Time from Persist to the persisted callback for events of the cluster journal, by writer (no Kafka equivalent; compare kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs).",
            new HistogramConfiguration { LabelNames = ["writer"], Buckets = Buckets });
        Controller = WriteDuration.WithLabels("controller");
        Partition = WriteDuration.WithLabels("partition");
        Group = WriteDuration.WithLabels("group");
    }

    public Histogram WriteDuration { get; }

    public Histogram.Child Controller { get; }

    public Histogram.Child Partition { get; }

    public Histogram.Child Group { get; }

    /// <summary>Records a write started at <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) and persisted now.</summary>
    public static void Persisted(Histogram.Child writer, long started) => writer.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
}
