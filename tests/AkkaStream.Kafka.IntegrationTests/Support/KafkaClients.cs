using System.Collections.Concurrent;
using Confluent.Kafka;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>Confluent.Kafka producers and consumers for the test broker, with short timeouts and manual partition assignment (no groups).</summary>
public static class KafkaClients
{
    public static IProducer<string, string> Producer(KafkaBrokerFixture broker, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            LingerMs = 5,
            MessageTimeoutMs = 60_000,
            SocketTimeoutMs = 30_000,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<string, string>(config).Build();
    }

    /// <summary>A consumer with no group: it reads what it is assigned and commits nothing.</summary>
    public static IConsumer<string, string> Consumer(KafkaBrokerFixture broker, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            // Required by the client even when partitions are assigned by hand; no group is joined and nothing committed.
            GroupId = "assigned-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            FetchWaitMaxMs = 100,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<string, string>(config).Build();
    }

    /// <summary>
    /// Produces <paramref name="count"/> records named <c>{prefix}-{i}</c>, record i to partition
    /// i modulo <paramref name="partitions"/>, and waits until every one is acknowledged; their values.
    /// </summary>
    public static List<string> ProduceSpread(IProducer<string, string> producer, string topic, int partitions, string prefix, int count)
    {
        var values = new List<string>();
        var failed = new ConcurrentQueue<string>();
        for (var i = 0; i < count; i++)
        {
            var value = $"{prefix}-{i}";
            producer.Produce(new TopicPartition(topic, i % partitions), new Message<string, string> { Key = $"key-{i}", Value = value },
                report => { if (report.Error.IsError) failed.Enqueue($"{value}: {report.Error}"); });
            values.Add(value);
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        Assert.True(failed.IsEmpty, $"not acknowledged: {string.Join("; ", failed)}");
        return values;
    }

    /// <summary>Reads <paramref name="count"/> records from the start of one partition, failing after a generous bound.</summary>
    public static List<ConsumeResult<string, string>> ReadFromStart(KafkaBrokerFixture broker, string topic, int count, int partition = 0)
    {
        using var consumer = Consumer(broker);
        consumer.Assign(new TopicPartitionOffset(topic, partition, Offset.Beginning));
        var read = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (read.Count < count)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"read {read.Count} of {count} records of {topic} in time");
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false } result) read.Add(result);
        }
        consumer.Close();
        return read;
    }
}
