using System.Diagnostics;
using AkkaStream.Benchmarks;
using Confluent.Kafka;

namespace AkkaStream.Kafka.Benchmarks;

/// <summary>
/// Sends the records to one partition as fast as librdkafka takes them and waits for every
/// delivery report: the time runs from the first send to the last report. When librdkafka's local
/// queue is full the sender waits until delivery reports have made room again, as Kafka's own perf
/// tool blocks on buffer.memory. Every record carries the same value (the client copies it on send).
/// </summary>
internal static class ProduceBenchmark
{
    public static RunResult Run(KafkaBenchOptions options)
    {
        var config = new ProducerConfig
        {
            Acks = options.Acks switch { "0" => Acks.None, "1" => Acks.Leader, _ => Acks.All },
            LingerMs = options.LingerMs,
            MessageTimeoutMs = (int)options.Timeout.TotalMilliseconds,
            // The per-message fields a delivery report carries that the count does not need.
            DeliveryReportFields = "status",
        };
        if (options.BatchSize is { } batchSize) config.BatchSize = batchSize;

        var value = new byte[options.RecordSize];
        Random.Shared.NextBytes(value);
        var message = new Message<Null, byte[]> { Value = value };
        var target = new TopicPartition(options.Topic, new Partition(options.Partition));
        var tally = new DeliveryTally();

        using var producer = new ProducerBuilder<Null, byte[]>(options.Configure(config)).Build();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0L; i < options.Records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(target, message, tally.OnDelivery);
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // The client's own poll thread serves the delivery reports that make room.
                    Thread.Sleep(1);
                }
            }
        }
        var unsent = producer.Flush(options.Timeout);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new RunResult("sent", tally.Delivered, tally.Delivered * (long)options.RecordSize, elapsed,
            tally.Failed + unsent, tally.FirstError);
    }

    /// <summary>Counts delivery reports. Thread-safe: librdkafka's reports arrive on the client's poll thread.</summary>
    private sealed class DeliveryTally
    {
        private long _delivered;
        private long _failed;

        public long Delivered => Interlocked.Read(ref _delivered);

        public long Failed => Interlocked.Read(ref _failed);

        public string? FirstError { get; private set; }

        public void OnDelivery(DeliveryReport<Null, byte[]> report)
        {
            if (!report.Error.IsError)
            {
                Interlocked.Increment(ref _delivered);
                return;
            }
            if (Interlocked.Increment(ref _failed) == 1) FirstError = report.Error.ToString();
        }
    }
}
