using System.Text;
using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Consumer;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary>One broker and the real client in its own ActorSystem, talking over Akka.Remote.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SingleBrokerClientTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private BrokerNode _node = null!;
    private AkkaStreamClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db")));
        await Eventually.True(() => _node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
        _client = ClientFor.Create([_node]);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);

    /// <summary>Polls until <paramref name="count"/> records came (bounded), failing with what did come otherwise.</summary>
    private static async Task<List<ConsumeRecord>> PollAll(AkkaStreamConsumer consumer, int count, TimeSpan? within = null)
    {
        var result = new List<ConsumeRecord>();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (result.Count < count && DateTime.UtcNow < deadline)
        {
            result.AddRange(await consumer.PollAsync(TimeSpan.FromMilliseconds(500)));
        }
        Assert.True(result.Count >= count, $"polled {result.Count} of {count} records");
        return result;
    }

    [Fact]
    public async Task Produce_with_every_acks_and_consume_back_keys_values_headers_and_offsets()
    {
        var created = await _client.Admin.CreateTopicAsync("e2e-orders", partitions: 1, replicationFactor: 1);
        Assert.Equal(ErrorCode.None, created.Error);
        var tp = new TopicPartition("e2e-orders", 0);

        var sent = new List<(string? Key, string Value, string HeaderValue)>();
        foreach (var acks in new[] { Acks.Leader, Acks.All, Acks.None })
        {
            await using var producer = _client.CreateProducer(_client.Settings.Producer with { Acks = acks });
            var reports = new List<Task<Client.Producer.DeliveryReport>>();
            for (var i = 0; i < 10; i++)
            {
                var key = i % 2 == 0 ? $"k-{acks}-{i}" : null;
                var value = $"v-{acks}-{i}";
                var headers = new[] { new RecordHeaderData("acks", Utf8(acks.ToString())), RecordHeaderData.WithNullValue("empty") };
                sent.Add((key, value, acks.ToString()));
                reports.Add(producer.ProduceAsync(tp.Topic, key is null ? null : Utf8(key), Utf8(value), headers, partition: 0));
            }
            var delivered = await Task.WhenAll(reports);
            Assert.All(delivered, r => Assert.Equal(0, r.Partition));
            if (acks != Acks.None)
            {
                // The leader acknowledged: offsets are known and consecutive.
                Assert.Equal(Enumerable.Range(0, 10).Select(i => delivered[0].Offset + i), delivered.Select(r => r.Offset));
            }
        }

        await using var consumer = _client.CreateConsumer();
        consumer.Assign([tp]);
        consumer.SeekToBeginning([tp]);
        var records = await PollAll(consumer, sent.Count);
        Assert.Equal(sent.Count, records.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            var r = records[i];
            Assert.Equal(i, r.Offset);
            Assert.Equal(sent[i].Key, Text(r.Key));
            Assert.Equal(sent[i].Value, Text(r.Value));
            Assert.Equal(2, r.Headers.Count);
            Assert.Equal("acks", r.Headers[0].Key);
            Assert.Equal(sent[i].HeaderValue, Text(r.Headers[0].Value));
            Assert.Equal("empty", r.Headers[1].Key);
            Assert.Null(r.Headers[1].Value);
        }
    }

    [Fact]
    public async Task List_offsets_offsets_for_times_and_delete_records_move_the_beginning()
    {
        await _client.Admin.CreateTopicAsync("e2e-times", partitions: 1, replicationFactor: 1);
        var tp = new TopicPartition("e2e-times", 0);
        await using var producer = _client.CreateProducer();
        var baseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
        for (var i = 0; i < 10; i++)
        {
            // Timestamps 1 s apart, so that a time between two records names the later one.
            var report = await producer.ProduceAsync(tp.Topic, Utf8($"k{i}"), Utf8($"v{i}"), timestamp: baseTime + i * 1000, partition: 0);
            Assert.Equal(i, report.Offset);
        }

        await using var consumer = _client.CreateConsumer();
        Assert.Equal(0, (await consumer.BeginningOffsetsAsync([tp]))[tp]);
        Assert.Equal(10, (await consumer.EndOffsetsAsync([tp]))[tp]);
        Assert.Equal(4, (await consumer.OffsetsForTimesAsync([tp], baseTime + 3500))[tp]);
        Assert.Equal(0, (await consumer.OffsetsForTimesAsync([tp], baseTime - 1))[tp]);
        Assert.Equal(-1, (await consumer.OffsetsForTimesAsync([tp], baseTime + 60_000))[tp]);

        Assert.Equal(6, await _client.Admin.DeleteRecordsAsync(tp, 6));
        Assert.Equal(6, (await consumer.BeginningOffsetsAsync([tp]))[tp]);
        consumer.Assign([tp]);
        consumer.SeekToBeginning([tp]);
        var records = await PollAll(consumer, 4);
        Assert.Equal([6L, 7, 8, 9], records.Select(r => r.Offset));
        Assert.Equal(["v6", "v7", "v8", "v9"], records.Select(r => Text(r.Value)));
    }

    [Fact]
    public async Task Bad_input_gives_kafka_error_codes_and_the_broker_keeps_serving()
    {
        async Task<ErrorCode> Refused(Func<Task> action) => (await Assert.ThrowsAsync<AkkaStreamException>(action)).Code;

        Assert.Equal(ErrorCode.InvalidTopicException, await Refused(() => _client.Admin.CreateTopicAsync("bad/name", 1, 1)));
        Assert.Equal(ErrorCode.InvalidConfig, await Refused(() => _client.Admin.CreateTopicAsync("e2e-bad-config", 1, 1,
            new Dictionary<string, string> { ["retention.ms"] = "soon" })));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, await Refused(() => _client.Admin.CreateTopicAsync("e2e-rf", 1, 3)));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await Refused(() => _client.Admin.DescribeTopicsAsync(["e2e-missing"])));

        // A partition look-up retries UnknownTopicOrPartition (the topic may be new) until the request
        // timeout, as Kafka's consumer does; a short timeout keeps the test quick.
        await using (var quick = ClientFor.Create([_node], "akkastream.client.request-timeout = 2s"))
        {
            await using var consumer = quick.CreateConsumer();
            var missing = new TopicPartition("e2e-missing", 0);
            Assert.Equal(ErrorCode.UnknownTopicOrPartition, await Refused(() => consumer.EndOffsetsAsync([missing])));
        }

        await _client.Admin.CreateTopicAsync("e2e-small", 1, 1, new Dictionary<string, string> { ["max.message.bytes"] = "1024" });
        await using var producer = _client.CreateProducer();
        Assert.Equal(ErrorCode.MessageTooLarge, await Refused(() => producer.ProduceAsync("e2e-small", null, new byte[4096], partition: 0)));

        // The broker still serves the same topic and others afterwards.
        var ok = await producer.ProduceAsync("e2e-small", Utf8("k"), Utf8("small"), partition: 0);
        Assert.Equal(0, ok.Offset);
        await _client.Admin.CreateTopicAsync("e2e-after", 1, 1);
        Assert.Equal(0, (await producer.ProduceAsync("e2e-after", Utf8("k"), Utf8("v"), partition: 0)).Offset);
        Assert.Contains("e2e-after", await _client.Admin.ListTopicsAsync());
    }

    [Fact]
    public async Task The_default_producer_writes_batches_numbered_under_one_producer_id()
    {
        Assert.Equal(ErrorCode.None, (await _client.Admin.CreateTopicAsync("idem-e2e", partitions: 1, replicationFactor: 1)).Error);
        await using var producer = _client.CreateProducer(_client.Settings.Producer with { Linger = TimeSpan.Zero });

        var reports = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => producer.ProduceAsync("idem-e2e", "k", $"v{i}")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(reports, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), reports.Select(r => r.Offset).Order());
        var fetched = await _node.Gateway.Ask<FetchResponse>(new FetchRequest("idem-e2e", 0, 0, 1 << 20, 0, 0, -1), TimeSpan.FromSeconds(20));
        var headers = new List<RecordBatchHeader>();
        foreach (var header in new RecordBatchEnumerator(fetched.Records)) headers.Add(header);
        Assert.Equal(20, headers.Sum(h => h.RecordsCount));
        Assert.All(headers, h => Assert.Equal((headers[0].ProducerId, (short)0), (h.ProducerId, h.ProducerEpoch)));
        Assert.True(headers[0].ProducerId >= 0);
        var expected = 0;
        foreach (var header in headers)
        {
            Assert.Equal(expected, header.BaseSequence);
            expected = ProducerSequence.LastOf(header) + 1;
        }
    }
}
