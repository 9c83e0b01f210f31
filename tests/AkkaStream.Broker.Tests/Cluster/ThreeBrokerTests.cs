using Akka.Actor;
using Akka.Cluster;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Cluster;

/// <summary>Three brokers in one process (three ActorSystems on loopback, one shared journal file).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ThreeBrokerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();
    private readonly BrokerNode?[] _nodes = new BrokerNode?[4];

    private string Journal => _dir.Sub("cluster.db");

    public async Task InitializeAsync()
    {
        _nodes[1] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-1"), 1, Journal));
        var seed = _nodes[1]!.Cluster.SelfAddress.ToString();
        _nodes[2] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-2"), 2, Journal, seed));
        _nodes[3] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-3"), 3, Journal, seed,
            // Broker 3 is stopped abruptly in one test: terminating its system must not leave the cluster gracefully.
            "akka.coordinated-shutdown.run-by-actor-system-terminate = off"));
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Brokers.Count == 3), TimeSpan.FromSeconds(40), "every broker sees three brokers");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Live.Reverse())
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

    private IEnumerable<BrokerNode> Live => _nodes.OfType<BrokerNode>().Where(n => !n.WhenTerminated.IsCompleted);

    private BrokerNode Node(int id) => _nodes[id]!;

    private async Task CreateAndUseTopic(BrokerNode via, string topic)
    {
        var created = await via.Gateway.Ask<CreateTopicResponse>(new CreateTopicRequest(topic, 6, 1, new Dictionary<string, string>()), Timeout);
        Assert.Equal(ErrorCode.None, created.Error);
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Topics.ContainsKey(topic)));
        var partitions = via.Metadata.Current.Topics[topic].Partitions;
        // Round-robin: two leaders on each broker.
        Assert.All(partitions.GroupBy(p => p.Leader), g => Assert.Equal(2, g.Count()));
        foreach (var p in partitions)
        {
            var leader = Node(p.Leader);
            var produced = await leader.Gateway.Ask<ProduceResponse>(
                new ProduceRequest(topic, p.Partition, Acks.Leader, 5000, p.LeaderEpoch, Batches.Of($"{topic}-{p.Partition}")), Timeout);
            Assert.Equal(ErrorCode.None, produced.Error);
            var fetched = await leader.Gateway.Ask<FetchResponse>(new FetchRequest(topic, p.Partition, 0, 1 << 20, 0, 0, p.LeaderEpoch), Timeout);
            Assert.Equal([$"{topic}-{p.Partition}"], Batches.Read(fetched.Records).Select(r => r.Value));
            // Another broker's gateway points the client to the leader.
            var other = Node(p.Leader % 3 + 1);
            var refused = await other.Gateway.Ask<FetchResponse>(new FetchRequest(topic, p.Partition, 0, 1 << 20, 0, 0, -1), Timeout);
            Assert.Equal(ErrorCode.NotLeaderOrFollower, refused.Error);
        }
    }

    [Fact]
    public async Task Six_partitions_spread_two_leaders_per_broker_and_each_leader_serves_through_its_gateway()
    {
        await CreateAndUseTopic(Node(2), "spread");
        var described = await Node(3).Gateway.Ask<DescribeClusterResponse>(DescribeClusterRequest.Instance, Timeout);
        Assert.Equal(3, described.Brokers.Count);
        Assert.Contains(described.Brokers, b => b.GatewayPath == Node(3).GatewayPath);
    }

    [Fact]
    public async Task Controller_moves_when_its_broker_leaves_and_topics_survive()
    {
        await CreateAndUseTopic(Node(1), "survivor");
        // The singleton runs on the oldest member: broker 1, which started the cluster.
        Assert.Equal(1, Node(2).Metadata.Current.ControllerId);
        await Node(1).StopAsync();

        await Eventually.True(() => Node(2).Metadata.Current.ControllerId is 2 or 3, TimeSpan.FromSeconds(40), "a new controller publishes");
        var metadata = await Node(3).Gateway.Ask<MetadataResponse>(new MetadataRequest(["survivor"]), Timeout);
        Assert.Equal(ErrorCode.None, Assert.Single(metadata.Topics).Error);
        // The new controller answers administration requests.
        var second = await Eventually.Reply<CreateTopicResponse>(Node(2).Gateway,
            new CreateTopicRequest("after-move", 2, 1, new Dictionary<string, string>()), r => r.Error == ErrorCode.None);
        Assert.NotEqual(Guid.Empty, second.TopicId);
        // Partitions led by broker 1 are offline (RF=1); the others still serve.
        var survivor = Node(2).Metadata.Current.Topics["survivor"];
        Assert.All(survivor.Partitions.Where(p => p.Replicas[0] == 1), p => Assert.Equal(-1, p.Leader));
        var served = survivor.Partitions.First(p => p.Leader == 3);
        var fetched = await Eventually.Reply<FetchResponse>(Node(3).Gateway, new FetchRequest("survivor", served.Partition, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None);
        Assert.Single(Batches.Read(fetched.Records));
    }

    [Fact]
    public async Task Abrupt_termination_and_downing_of_a_broker_and_its_restart_on_the_same_data_dir()
    {
        await CreateAndUseTopic(Node(1), "crash");
        var victim = Node(3);
        var victimAddress = victim.Cluster.SelfAddress;
        var ledBy3 = Node(1).Metadata.Current.Topics["crash"].Partitions.Where(p => p.Leader == 3).Select(p => p.Partition).ToList();
        await victim.System.Terminate();
        await victim.WhenReleased;
        Akka.Cluster.Cluster.Get(Node(1).System).Down(victimAddress);

        await Eventually.True(() => Node(1).Metadata.Current.Brokers.Count == 2, TimeSpan.FromSeconds(40), "broker 3 leaves the metadata");
        var offline = await Node(1).Gateway.Ask<ProduceResponse>(new ProduceRequest("crash", ledBy3[0], Acks.Leader, 5000, -1, Batches.Of("x")), Timeout);
        Assert.Equal(ErrorCode.LeaderNotAvailable, offline.Error);

        // The same broker id on the same data directory comes back and leads its partitions again, with its records.
        _nodes[3] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-3"), 3, Journal, Node(1).Cluster.SelfAddress.ToString()));
        foreach (var partition in ledBy3)
        {
            await Eventually.True(() => Node(3).Metadata.Current.Partition("crash", partition) is { Leader: 3 }, TimeSpan.FromSeconds(40));
            var fetched = await Eventually.Reply<FetchResponse>(Node(3).Gateway, new FetchRequest("crash", partition, 0, 1 << 20, 0, 0, -1),
                r => r.Error == ErrorCode.None);
            Assert.Equal([$"crash-{partition}"], Batches.Read(fetched.Records).Select(r => r.Value));
            Assert.True(Node(3).Metadata.Current.Partition("crash", partition)!.LeaderEpoch >= 2, "offline and back: two new epochs");
        }
    }
}
