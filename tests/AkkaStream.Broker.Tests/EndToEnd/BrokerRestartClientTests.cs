using System.Text;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client.Consumer;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary>A broker stopped gracefully and started again on the same data directory serves the client the same records.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BrokerRestartClientTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Akka.Configuration.Config NodeConfig() => Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db"));

    private static async Task<List<ConsumeRecord>> ReadAll(BrokerNode node, IReadOnlyList<TopicPartition> partitions, int count)
    {
        await using var client = ClientFor.Create([node]);
        await using var consumer = client.CreateConsumer();
        consumer.Assign(partitions);
        consumer.SeekToBeginning(partitions);
        var result = new List<ConsumeRecord>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (result.Count < count && DateTime.UtcNow < deadline)
        {
            result.AddRange(await consumer.PollAsync(TimeSpan.FromMilliseconds(500)));
        }
        Assert.Equal(count, result.Count);
        return result;
    }

    [Fact]
    public async Task A_broker_restarted_on_the_same_data_dir_serves_the_same_records_to_the_client()
    {
        var partitions = new[] { new TopicPartition("e2e-durable", 0), new TopicPartition("e2e-durable", 1) };
        List<(int Partition, long Offset, string Key, string Value)> before;
        var node = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            await Eventually.True(() => node.Metadata.Current.Brokers.Count == 1);
            await using (var client = ClientFor.Create([node]))
            {
                await client.Admin.CreateTopicAsync("e2e-durable", partitions: 2, replicationFactor: 1);
                await using var producer = client.CreateProducer();
                var reports = Enumerable.Range(0, 200).Select(i =>
                    producer.ProduceAsync("e2e-durable", Encoding.UTF8.GetBytes($"key-{i}"), Encoding.UTF8.GetBytes($"value-{i}"))).ToList();
                await Task.WhenAll(reports);
            }
            before = (await ReadAll(node, partitions, 200)).Select(r => (r.Partition, r.Offset, Encoding.UTF8.GetString(r.Key!), Encoding.UTF8.GetString(r.Value!))).ToList();
        }
        finally
        {
            await node.StopAsync();
        }

        var restarted = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            await Eventually.True(() => partitions.All(tp => restarted.Metadata.Current.Partition(tp.Topic, tp.Partition) is { Leader: 1 }),
                TimeSpan.FromSeconds(40), "the restarted broker leads its partitions again");
            var after = (await ReadAll(restarted, partitions, 200)).Select(r => (r.Partition, r.Offset, Encoding.UTF8.GetString(r.Key!), Encoding.UTF8.GetString(r.Value!))).ToList();
            Assert.Equal(before.OrderBy(r => r.Partition).ThenBy(r => r.Offset), after.OrderBy(r => r.Partition).ThenBy(r => r.Offset));
        }
        finally
        {
            await restarted.StopAsync();
        }
    }
}
