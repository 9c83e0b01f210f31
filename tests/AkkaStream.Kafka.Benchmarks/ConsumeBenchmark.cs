using System.Diagnostics;
using AkkaStream.Benchmarks;
using Confluent.Kafka;

namespace AkkaStream.Kafka.Benchmarks;

/// <summary>
/// Reads the records of one partition from offset 0 with a consumer assigned to it (no group is
/// joined, nothing is committed): the time runs from the assignment to the last record. Values are
/// measured, not copied out (<see cref="ValueLength"/>), and no other field of a record is read.
/// </summary>
internal static class ConsumeBenchmark
{
    public static RunResult Run(KafkaBenchOptions options)
    {
        var config = new ConsumerConfig
        {
            // The client requires a group id even for assigned partitions; it is never joined.
            GroupId = "kafka-bench-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            // Only the value is looked at: the client then marshals no topic name, timestamp or
            // headers per record (each a native call and, for the topic, a string).
            ConsumeResultFields = "none",
        };

        using var consumer = new ConsumerBuilder<Ignore, int>(options.Configure(config)).SetValueDeserializer(new ValueLength()).Build();
        var started = Stopwatch.GetTimestamp();
        consumer.Assign(new TopicPartitionOffset(options.Topic, options.Partition, Offset.Beginning));
        long records = 0, bytes = 0;
        string? error = null;
        var lastProgress = Stopwatch.GetTimestamp();
        while (records < options.Records)
        {
            ConsumeResult<Ignore, int>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e)
            {
                error = e.Error.ToString();
                break;
            }
            if (result is null)
            {
                if (Stopwatch.GetElapsedTime(lastProgress) > options.Timeout)
                {
                    error = $"no record for {options.Timeout.TotalSeconds:F0} s";
                    break;
                }
                continue;
            }
            records++;
            bytes += result.Message.Value;
            lastProgress = Stopwatch.GetTimestamp();
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        consumer.Close();
        return new RunResult("received", records, bytes, elapsed, error is null ? 0 : 1, error);
    }

    /// <summary>Deserializes a value to its length: the bytes are counted without copying them into a managed array.</summary>
    private sealed class ValueLength : IDeserializer<int>
    {
        public int Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? 0 : data.Length;
    }
}
