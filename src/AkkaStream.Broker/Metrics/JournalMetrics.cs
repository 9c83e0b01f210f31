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
            "Time from Persist to the persisted callback for events of the cluster journal, by writer (no Kafka equivalent: Kafka's metadata log is its closest; compare kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs).",
            new HistogramConfiguration { LabelNames = ["writer"], Buckets = Buckets });
        Controller = new JournalWriter(WriteDuration.WithLabels("controller"));
        Partition = new JournalWriter(WriteDuration.WithLabels("partition"));
        Group = new JournalWriter(WriteDuration.WithLabels("group"));
    }

    public Histogram WriteDuration { get; }

    public JournalWriter Controller { get; }

    public JournalWriter Partition { get; }

    public JournalWriter Group { get; }
}

/// <summary>One writer's journal latency: take <see cref="Started"/> before <c>Persist</c>, call <see cref="Persisted"/> in its callback.</summary>
public sealed class JournalWriter(Histogram.Child duration)
{
    public Histogram.Child Duration { get; } = duration;

    public long Started() => Stopwatch.GetTimestamp();

    public void Persisted(long started) => Duration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
}
