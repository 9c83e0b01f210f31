using System.Buffers.Binary;
using System.Diagnostics;
using AkkaStream.Benchmarks;
using Confluent.Kafka;

namespace AkkaStream.Kafka.Benchmarks;

/// <summary>
/// A Confluent.Kafka producer and consumer in one process on one topic, every partition of it:
/// the producer sends at a fixed rate, each value starting with its send time (a
/// <see cref="Stopwatch"/> timestamp); the consumer, assigned every partition from the start,
/// records receipt − send for each record. So the latency covers the client's batching, the
/// append, replication up to the high watermark and the fetch: what a reader waits for. The
/// first <see cref="KafkaBenchOptions.WarmupRecords"/> are sent and received but not counted.
/// </summary>
internal static class EndToEndBenchmark
{
    /// <summary>How often the sender wakes to send the records due by then (a sleep, not a spin: the brokers need the cores).</summary>
    private static readonly TimeSpan SendTick = TimeSpan.FromMilliseconds(1);

    public static (RunResult Result, string Latency) Run(KafkaBenchOptions options)
    {
        var partitions = PartitionsOf(options);
        var latencies = new long[options.Records];
        var received = 0L;
        string? error = null;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(options.Configure(new ConsumerConfig
        {
            GroupId = "kafka-bench-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            ConsumeResultFields = "none",
        })).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var reader = new Thread(() =>
        {
            var lastProgress = Stopwatch.GetTimestamp();
            while (received < options.Records)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                var now = Stopwatch.GetTimestamp();
                if (result is null)
                {
                    if (Stopwatch.GetElapsedTime(lastProgress) > options.Timeout)
                    {
                        error = $"no record for {options.Timeout.TotalSeconds:F0} s";
                        return;
                    }
                    continue;
                }
                lastProgress = now;
                latencies[received++] = now - BinaryPrimitives.ReadInt64LittleEndian(result.Message.Value);
            }
        }) { IsBackground = true, Name = "end-to-end-reader" };
        reader.Start();

        var failed = 0L;
        string? firstFailure = null;
        using var producer = new ProducerBuilder<Null, byte[]>(options.Configure(new ProducerConfig
        {
            Acks = options.Acks switch { "0" => Acks.None, "1" => Acks.Leader, _ => Acks.All },
            LingerMs = options.LingerMs,
            MessageTimeoutMs = (int)options.Timeout.TotalMilliseconds,
            DeliveryReportFields = "status",
        })).Build();
        var started = Stopwatch.GetTimestamp();
        for (var sent = 0L; sent < options.Records;)
        {
            var due = Math.Min(options.Records, (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * options.Rate) + 1);
            for (; sent < due; sent++)
            {
                // A new array per record: the client keeps the value until it is sent.
                var value = new byte[Math.Max(8, options.RecordSize)];
                BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                producer.Produce(partitions[(int)(sent % partitions.Count)], new Message<Null, byte[]> { Value = value }, report =>
                {
                    if (report.Error.IsError && Interlocked.Increment(ref failed) == 1) firstFailure = report.Error.ToString();
                });
            }
            Thread.Sleep(SendTick);
        }
        producer.Flush(options.Timeout);
        reader.Join();
        var elapsed = Stopwatch.GetElapsedTime(started);
        consumer.Close();
        var result = new RunResult("sent and received", received, received * (long)options.RecordSize, elapsed,
            failed + (error is null ? 0 : 1), firstFailure ?? error);
        return (result, LatencySummary.Describe(latencies, received, options.WarmupRecords));
    }

    /// <summary>Every partition of the topic, from the cluster's metadata.</summary>
    private static List<TopicPartition> PartitionsOf(KafkaBenchOptions options)
    {
        using var admin = new AdminClientBuilder(options.Configure(new AdminClientConfig())).Build();
        var topic = admin.GetMetadata(options.Topic, TimeSpan.FromSeconds(30)).Topics.Single();
        if (topic.Error.IsError) throw new InvalidOperationException($"topic {options.Topic}: {topic.Error}");
        return [.. topic.Partitions.Select(p => new TopicPartition(options.Topic, new Partition(p.PartitionId))).OrderBy(p => p.Partition.Value)];
    }
}
