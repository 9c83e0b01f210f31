using Akka.Actor;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SingleBrokerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Akka.Configuration.Config NodeConfig() => Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db"));

    [Fact]
    public async Task Create_produce_fetch_and_restart_serves_the_same_records()
    {
        var node = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            var created = await node.Gateway.Ask<CreateTopicResponse>(new CreateTopicRequest("orders", 2, -1, new Dictionary<string, string>()), Timeout);
            Assert.Equal(ErrorCode.None, created.Error);
            await Eventually.True(() => node.Metadata.Current.Topics.ContainsKey("orders"));

            var produced = await node.Gateway.Ask<ProduceResponse>(new ProduceRequest("orders", 1, Acks.Leader, 5000, -1, Batches.Of("a", "b")), Timeout);
            Assert.Equal(ErrorCode.None, produced.Error);
            Assert.Equal(0, produced.BaseOffset);
            var second = await node.Gateway.Ask<ProduceResponse>(new ProduceRequest("orders", 1, Acks.All, 5000, 0, Batches.Of("c")), Timeout);
            Assert.Equal(2, second.BaseOffset);

            var fetched = await node.Gateway.Ask<FetchResponse>(new FetchRequest("orders", 1, 0, 1 << 20, 0, 0, -1), Timeout);
            Assert.Equal(ErrorCode.None, fetched.Error);
            Assert.Equal(3, fetched.HighWatermark);
            Assert.Equal(["a", "b", "c"], Batches.Read(fetched.Records).Select(r => r.Value));

            var unknown = await node.Gateway.Ask<ProduceResponse>(new ProduceRequest("nope", 0, Acks.Leader, 5000, -1, Batches.Of("x")), Timeout);
            Assert.Equal(ErrorCode.UnknownTopicOrPartition, unknown.Error);
            var metadata = await node.Gateway.Ask<MetadataResponse>(MetadataRequest.AllTopics, Timeout);
            Assert.Equal(node.GatewayPath, Assert.Single(metadata.Brokers).GatewayPath);
            Assert.Equal(2, Assert.Single(metadata.Topics).Partitions.Count);
        }
        finally
        {
            await node.StopAsync();
        }

        var restarted = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            await Eventually.True(() => restarted.Metadata.Current.Partition("orders", 1) is { Leader: 1 });
            var again = await Eventually.Reply<FetchResponse>(restarted.Gateway, new FetchRequest("orders", 1, 0, 1 << 20, 0, 0, -1), r => r.Error == ErrorCode.None);
            Assert.Equal(["a", "b", "c"], Batches.Read(again.Records).Select(r => r.Value));
        }
        finally
        {
            await restarted.StopAsync();
        }
    }

    [Fact]
    public async Task A_second_broker_on_the_same_data_dir_is_refused()
    {
        var node = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            var e = await Assert.ThrowsAsync<BrokerConfigException>(() => BrokerNode.StartAsync(NodeConfig()));
            Assert.Equal("akkastream.data-dir", e.Key);
            Assert.Contains("in use", e.Message);
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
