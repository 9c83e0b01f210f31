using System.Collections.Concurrent;
using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// Kafka's BrokerTopicMetrics, per topic: bytes and messages appended by leaders, bytes served to
/// consumers, and bytes served to and appended by followers (kept apart, as Kafka keeps
/// ReplicationBytesOutPerSec and ReplicationBytesInPerSec apart from BytesOutPerSec and BytesInPerSec). Recorded once per append or fetch
/// response, never per record. Thread-safe.
/// </summary>
public sealed class TopicMetrics
{
    private readonly ConcurrentDictionary<string, TopicMeters> _byTopic = new(StringComparer.Ordinal);

    internal TopicMetrics(IMetricFactory factory)
    {
        var topic = new CounterConfiguration { LabelNames = ["topic"] };
        BytesIn = factory.CreateCounter("akkastream_topic_bytes_in_total",
            "Bytes of record batches appended by this broker's partition leaders (kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec).", topic);
        MessagesIn = factory.CreateCounter("akkastream_topic_messages_in_total",
            "Records appended by this broker's partition leaders; duplicates of an idempotent producer are not counted (kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec).", topic);
        BytesOut = factory.CreateCounter("akkastream_topic_bytes_out_total",
            "Bytes of record batches served to consumers, through the actor protocol or the Kafka listener (kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec).", topic);
        ReplicationBytesOut = factory.CreateCounter("akkastream_topic_replication_bytes_out_total",
            "Bytes of record batches served by this broker's leaders to follower replicas (kafka.server:type=BrokerTopicMetrics,name=ReplicationBytesOutPerSec).", topic);
        ReplicationBytesIn = factory.CreateCounter("akkastream_topic_replication_bytes_in_total",
            "Bytes of record batches this broker's followers fetched from their leaders and appended (kafka.server:type=BrokerTopicMetrics,name=ReplicationBytesInPerSec).", topic);
    }

    public Counter BytesIn { get; }

    public Counter MessagesIn { get; }

    public Counter BytesOut { get; }

    public Counter ReplicationBytesOut { get; }

    public Counter ReplicationBytesIn { get; }

    /// <summary>The topics counted so far.</summary>
    public IReadOnlyCollection<string> Topics => (IReadOnlyCollection<string>)_byTopic.Keys;

    /// <summary>One topic's counters; callers keep the result rather than look it up per batch.</summary>
    public TopicMeters For(string topic) => _byTopic.GetOrAdd(topic, t => new TopicMeters(this, t));

    /// <summary>Bytes appended by leaders, over every topic.</summary>
    public double TotalBytesIn => Sum(m => m.BytesIn.Value);

    /// <summary>Bytes served to consumers, over every topic.</summary>
    public double TotalBytesOut => Sum(m => m.BytesOut.Value);

    private double Sum(Func<TopicMeters, double> value)
    {
        double total = 0;
        foreach (var meters in _byTopic.Values) total += value(meters);
        return total;
    }
}

/// <summary>The counters of one topic (labelled children, looked up once).</summary>
public sealed class TopicMeters
{
    internal TopicMeters(TopicMetrics metrics, string topic)
    {
        Topic = topic;
        BytesIn = metrics.BytesIn.WithLabels(topic);
        MessagesIn = metrics.MessagesIn.WithLabels(topic);
        BytesOut = metrics.BytesOut.WithLabels(topic);
        ReplicationBytesOut = metrics.ReplicationBytesOut.WithLabels(topic);
        ReplicationBytesIn = metrics.ReplicationBytesIn.WithLabels(topic);
    }

    public string Topic { get; }

    public Counter.Child BytesIn { get; }

    public Counter.Child MessagesIn { get; }

    public Counter.Child BytesOut { get; }

    public Counter.Child ReplicationBytesOut { get; }

    public Counter.Child ReplicationBytesIn { get; }

    /// <summary>A leader appended <paramref name="messages"/> records in <paramref name="bytes"/> bytes.</summary>
    public void Appended(long bytes, long messages)
    {
        BytesIn.Inc(bytes);
        MessagesIn.Inc(messages);
    }
}
