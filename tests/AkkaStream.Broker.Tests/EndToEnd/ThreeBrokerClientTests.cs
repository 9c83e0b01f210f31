using System.Diagnostics;
using System.Text;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client.Producer;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Records.Partitioning;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary>Three brokers (three ActorSystems on loopback, one shared journal file) and the real client in a fourth.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ThreeBrokerClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Topic = "e2e-spread";
    private const int PartitionCount = 6;
    private const int RecordCount = 100_000;

    private readonly TempDir _dir = new();
    private readonly List<BrokerNode> _nodes = [];

    private string Journal => _dir.Sub("cluster.db");

    public async Task InitializeAsync()
    {
        _nodes.Add(await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-1"), 1, Journal)));
        var seed = _nodes[0].Cluster.SelfAddress.ToString();
        _nodes.Add(await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-2"), 2, Journal, seed)));
        _nodes.Add(await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-3"), 3, Journal, seed)));
        await Eventually.True(() => _nodes.All(n => n.Metadata.Current.Brokers.Count == 3), TimeSpan.FromSeconds(40), "every broker sees three brokers");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            try
            {
                await node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                output.WriteLine($"stopping broker {node.Settings.BrokerId}: {e.Message}");
            }
        }
        _dir.Dispose();
    }

    private static string KeyOf(int i) => $"key-{i % 5000}";

    [Fact]
    public async Task Hundred_thousand_keyed_records_through_the_client_come_back_in_partition_order_on_kafkas_partitions()
    {
        var clock = Stopwatch.StartNew();
        // Bootstrapped by one broker only: the client learns the other two from its metadata.
        await using var client = ClientFor.Create([_nodes[1]],
            "akkastream.client.producer.linger = 20ms",
            "akkastream.client.producer.batch-size = 262144",
            "akkastream.client.consumer.max-poll-records = 5000",
            "akkastream.client.consumer.auto-offset-reset = earliest");

        // RF=1: replication is later work; this test is about routing, partitioning and ordering.
        await client.Admin.CreateTopicAsync(Topic, partitions: PartitionCount, replicationFactor: 1);
        var described = Assert.Single(await client.Admin.DescribeTopicsAsync([Topic]));
        Assert.Equal(PartitionCount, described.Partitions.Count);
        Assert.All(described.Partitions.GroupBy(p => p.Leader), g => Assert.Equal(2, g.Count()));
        Assert.Equal([1, 2, 3], described.Partitions.Select(p => p.Leader).Distinct().Order());
        output.WriteLine($"topic created: {clock.Elapsed}");

        // Produce: fire and forget with a delivery callback, then flush; the callback runs on the producer actor.
        var failures = new List<DeliveryReport>();
        var reported = 0;
        await using (var producer = client.CreateProducer())
        {
            for (var i = 0; i < RecordCount; i++)
            {
                producer.Produce(Topic, Encoding.UTF8.GetBytes(KeyOf(i)), Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    onDelivery: report =>
                    {
                        Interlocked.Increment(ref reported);
                        if (!report.IsSuccess)
                        {
                            lock (failures) failures.Add(report);
                        }
                    });
            }
            await producer.FlushAsync(TimeSpan.FromSeconds(60));
        }
        Assert.Empty(failures);
        Assert.Equal(RecordCount, Volatile.Read(ref reported));
        output.WriteLine($"produced: {clock.Elapsed}");

        // Consume every partition at once (one fetch in flight per partition).
        var partitions = Enumerable.Range(0, PartitionCount).Select(p => new TopicPartition(Topic, p)).ToArray();
        await using var consumer = client.CreateConsumer();
        consumer.Assign(partitions);
        consumer.SeekToBeginning(partitions);
        var lastValue = new int[PartitionCount];
        var nextOffset = new long[PartitionCount];
        Array.Fill(lastValue, -1);
        var consumed = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (consumed < RecordCount && DateTime.UtcNow < deadline)
        {
            foreach (var record in await consumer.PollAsync(TimeSpan.FromMilliseconds(500)))
            {
                var key = Encoding.UTF8.GetString(record.Key!);
                var value = int.Parse(Encoding.UTF8.GetString(record.Value!), System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(KeyOf(value), key);
                Assert.Equal(DefaultPartitioner.Partition(record.Key, PartitionCount), record.Partition);
                // In order within a partition: consecutive offsets from 0, values rising as they were produced.
                Assert.Equal(nextOffset[record.Partition]++, record.Offset);
                Assert.True(value > lastValue[record.Partition], $"partition {record.Partition}: {value} after {lastValue[record.Partition]}");
                lastValue[record.Partition] = value;
                consumed++;
            }
        }
        Assert.Equal(RecordCount, consumed);
        Assert.Equal(RecordCount, nextOffset.Sum());
        var ends = await consumer.EndOffsetsAsync(partitions);
        Assert.Equal(nextOffset, partitions.Select(tp => ends[tp]));
        Assert.All(nextOffset, n => Assert.True(n > 0, "every partition got records"));
        output.WriteLine($"consumed: {clock.Elapsed}; per partition {string.Join(", ", nextOffset)}");
    }
}
