using System.Text;
using AkkaStream.Kafka.IntegrationTests.Support;
using Confluent.Kafka;

namespace AkkaStream.Kafka.IntegrationTests.Clients;

/// <summary>Confluent.Kafka (librdkafka) producing to and consuming from the broker over the Kafka listener.</summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class ProduceConsumeTests(KafkaBrokerFixture broker)
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Keys_headers_and_timestamps_come_back_with_every_compression_codec(CompressionType compression)
    {
        var topic = await broker.CreateTopicAsync("codec-" + compression.ToString().ToLowerInvariant());
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        using (var producer = KafkaClients.Producer(broker, c => { c.CompressionType = compression; c.Acks = Acks.All; }))
        {
            for (var i = 0; i < 50; i++)
            {
                var message = new Message<string, string>
                {
                    Key = $"key-{i}",
                    Value = $"value-{i}-" + new string('x', i * 10),
                    Timestamp = new Timestamp(start + i, TimestampType.CreateTime),
                    Headers = new Headers { { "index", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) } },
                };
                producer.Produce(topic, message, report => Assert.False(report.Error.IsError, report.Error.Reason));
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        var read = KafkaClients.ReadFromStart(broker, topic, 50);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i, read[i].Offset.Value);
            Assert.Equal($"key-{i}", read[i].Message.Key);
            Assert.Equal($"value-{i}-" + new string('x', i * 10), read[i].Message.Value);
            Assert.Equal(start + i, read[i].Message.Timestamp.UnixTimestampMs);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Encoding.UTF8.GetString(read[i].Message.Headers.GetLastBytes("index")));
        }
    }

    [Theory]
    [InlineData(Acks.None)]
    [InlineData(Acks.Leader)]
    [InlineData(Acks.All)]
    public async Task Every_acks_setting_appends_every_record(Acks acks)
    {
        var topic = await broker.CreateTopicAsync("acks");
        using (var producer = KafkaClients.Producer(broker, c => c.Acks = acks))
        {
            for (var i = 0; i < 200; i++) producer.Produce(topic, new Message<string, string> { Key = "k", Value = $"v{i}" });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        var read = KafkaClients.ReadFromStart(broker, topic, 200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"v{i}"), read.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task Acknowledged_offsets_are_the_offsets_the_records_are_read_at()
    {
        var topic = await broker.CreateTopicAsync("offsets");
        using var producer = KafkaClients.Producer(broker, c => c.Acks = Acks.Leader);
        var first = await producer.ProduceAsync(topic, new Message<string, string> { Key = "a", Value = "first" });
        var second = await producer.ProduceAsync(topic, new Message<string, string> { Key = "b", Value = "second" });
        Assert.Equal(0, first.Offset.Value);
        Assert.Equal(1, second.Offset.Value);
        Assert.Equal(["first", "second"], KafkaClients.ReadFromStart(broker, topic, 2).Select(r => r.Message.Value));
    }

    [Fact]
    public async Task The_idempotent_producer_writes_each_record_once_in_order()
    {
        var topic = await broker.CreateTopicAsync("idempotent");
        using (var producer = KafkaClients.Producer(broker, c => { c.EnableIdempotence = true; c.Acks = Acks.All; c.MaxInFlight = 5; }))
        {
            for (var i = 0; i < 1000; i++) producer.Produce(topic, new Message<string, string> { Key = $"k{i % 7}", Value = $"v{i}" },
                report => Assert.False(report.Error.IsError, report.Error.Reason));
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        var read = KafkaClients.ReadFromStart(broker, topic, 1000);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"v{i}"), read.Select(r => r.Message.Value));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), read.Select(r => r.Offset.Value));
    }

    [Fact]
    public async Task A_consumer_reads_each_assigned_partition()
    {
        var topic = await broker.CreateTopicAsync("partitions", partitions: 3);
        using (var producer = KafkaClients.Producer(broker))
        {
            for (var p = 0; p < 3; p++)
            {
                for (var i = 0; i < 10; i++) producer.Produce(new TopicPartition(topic, p), new Message<string, string> { Key = "k", Value = $"p{p}-{i}" });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        for (var p = 0; p < 3; p++)
        {
            var partition = p;
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"p{partition}-{i}"), KafkaClients.ReadFromStart(broker, topic, 10, p).Select(r => r.Message.Value));
        }
    }

    [Fact]
    public async Task Offsets_for_times_finds_the_first_record_at_or_after_each_time()
    {
        var topic = await broker.CreateTopicAsync("times");
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 600_000;
        using (var producer = KafkaClients.Producer(broker))
        {
            for (var i = 0; i < 5; i++)
            {
                // One batch per record, so that the time index can tell them apart.
                await producer.ProduceAsync(topic, new Message<string, string>
                {
                    Key = "k", Value = $"v{i}", Timestamp = new Timestamp(start + (i * 10_000), TimestampType.CreateTime),
                });
            }
        }
        using var consumer = KafkaClients.Consumer(broker);
        var found = consumer.OffsetsForTimes(
        [
            new TopicPartitionTimestamp(topic, 0, new Timestamp(start, TimestampType.CreateTime)),
        ], TimeSpan.FromSeconds(30));
        Assert.Equal(0, Assert.Single(found).Offset.Value);
        found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(start + 25_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(30));
        Assert.Equal(3, Assert.Single(found).Offset.Value);
        found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(start + 40_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(30));
        Assert.Equal(4, Assert.Single(found).Offset.Value);
        found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(start + 90_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(30));
        Assert.Equal(Offset.End, Assert.Single(found).Offset);

        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(30));
        Assert.Equal(0, watermarks.Low.Value);
        Assert.Equal(5, watermarks.High.Value);
    }
}
