using System.Text;
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
}
