using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Cluster;

/// <summary>
/// The cluster tooling on three brokers in one process: the members as any gateway describes them,
/// the partition entities each node hosts, a member made to leave, and a killed member downed.
/// Downing is left to the operator here (no Split Brain Resolver), so that only the tooling downs.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MembershipTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();
    private readonly BrokerNode?[] _nodes = new BrokerNode?[4];

    public async Task InitializeAsync()
    {
        const string noDowning = "akka.cluster.downing-provider-class = \"\"";
        var journal = _dir.Sub("cluster.db");
        _nodes[1] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-1"), 1, journal, null, noDowning));
        var seed = _nodes[1]!.Cluster.SelfAddress.ToString();
        _nodes[2] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-2"), 2, journal, seed, noDowning));
        _nodes[3] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-3"), 3, journal, seed, noDowning,
            // Killed in one test: terminating its system must not leave the cluster gracefully.
            "akka.coordinated-shutdown.run-by-actor-system-terminate = off"));
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Brokers.Count == 3), Patience, "every broker sees three brokers");
    }

    public async Task DisposeAsync()
    {
        await Brokers.StopAllAsync(Live, output);
        _dir.Dispose();
    }

    private IEnumerable<BrokerNode> Live => _nodes.OfType<BrokerNode>().Where(n => !n.WhenTerminated.IsCompleted);

    private BrokerNode Node(int id) => _nodes[id]!;

    private string AddressOf(int id) => Node(id).Cluster.SelfAddress.ToString();

    private Task<DescribeMembersResponse> Describe(int via) =>
        Node(via).Gateway.Ask<DescribeMembersResponse>(DescribeMembersRequest.Instance, Timeout);

    private async Task CreateTopic(string topic, int partitions, short replicationFactor)
    {
        var created = await Node(1).Gateway.Ask<CreateTopicResponse>(new CreateTopicRequest(topic, partitions, replicationFactor, new Dictionary<string, string>()), Timeout);
        Assert.Equal(ErrorCode.None, created.Error);
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Topics.TryGetValue(topic, out var t) && t.Partitions.All(p => p.Leader >= 0)),
            Patience, $"every broker sees {topic} with leaders");
        // A write through each leader starts its partition entity.
        foreach (var p in Node(1).Metadata.Current.Topics[topic].Partitions)
        {
            var produced = await Node(p.Leader).Gateway.Ask<ProduceResponse>(
                new ProduceRequest(topic, p.Partition, Acks.Leader, 5000, p.LeaderEpoch, Batches.Of($"{topic}-{p.Partition}")), Timeout);
            Assert.Equal(ErrorCode.None, produced.Error);
        }
    }

    [Fact]
    public async Task Any_gateway_describes_every_member_the_leader_the_oldest_the_controller_and_the_partition_entities_each_node_hosts()
    {
        await CreateTopic("counted", 6, 1);

        DescribeMembersResponse described = null!;
        await Eventually.True(async () =>
        {
            described = await Describe(2);
            return described.Regions.Where(r => r.Region == "partition").Sum(r => r.Entities) == 6;
        }, Patience, "the partition entities reported sum to the six partitions");

        Assert.Equal(ErrorCode.None, described.Error);
        Assert.Equal(AddressOf(2), described.Observer);
        Assert.Equal([1, 2, 3], described.Members.Select(m => m.BrokerId).Order());
        Assert.All(described.Members, m =>
        {
            Assert.Equal("Up", m.Status);
            Assert.True(m.Reachable);
            Assert.Empty(m.UnreachableFrom);
            Assert.Contains("broker", m.Roles);
            Assert.Contains($"broker-id-{m.BrokerId}", m.Roles);
        });
        Assert.Equal(Enumerable.Range(1, 3).Select(AddressOf).Order(), described.Members.Select(m => m.Address).Order());
        Assert.NotNull(described.Leader);
        // Broker 1 started the cluster: it is the oldest, so the controller singleton runs there.
        Assert.Equal(AddressOf(1), described.Oldest);
        Assert.Equal((1, AddressOf(1)), (described.ControllerId, described.ControllerAddress));
        var leaders = Node(1).Metadata.Current.Topics["counted"].Partitions.GroupBy(p => p.Leader).ToDictionary(g => g.Key, g => g.Count());
        foreach (var id in new[] { 1, 2, 3 })
        {
            var hosting = Assert.Single(described.Regions, r => r.Region == "partition" && r.BrokerId == id);
            Assert.Equal(AddressOf(id), hosting.Address);
            Assert.Equal(leaders.GetValueOrDefault(id), hosting.Entities);
            Assert.Single(described.Regions, r => r.Region == "group" && r.BrokerId == id);
        }
        Assert.Empty(described.UnansweredRegions);
    }

    [Fact]
    public async Task A_member_made_to_leave_goes_and_its_partitions_move_to_the_others()
    {
        await CreateTopic("moving", 3, 3);
        Assert.Contains(Node(1).Metadata.Current.Topics["moving"].Partitions, p => p.Leader == 3);

        var left = await Node(1).Gateway.Ask<MemberChangeResponse>(new LeaveMemberRequest("3"), Timeout);

        Assert.Equal((ErrorCode.None, AddressOf(3)), (left.Error, left.Address));
        await Node(3).WhenTerminated.WaitAsync(Patience);
        await Eventually.True(async () => (await Describe(1)).Members.Select(m => m.BrokerId).Order().SequenceEqual([1, 2]), Patience,
            "broker 3 is removed from the members");
        await Eventually.True(() => Node(1).Metadata.Current.Topics["moving"].Partitions.All(p => p.Leader is 1 or 2), Patience,
            "every partition is led by broker 1 or 2");
    }

    [Fact]
    public async Task A_reachable_member_is_not_downed_and_a_killed_one_is_seen_unreachable_then_downed_and_removed()
    {
        var refused = await Node(1).Gateway.Ask<MemberChangeResponse>(new DownMemberRequest("3"), Timeout);
        Assert.Equal(ErrorCode.InvalidRequest, refused.Error);
        Assert.Contains("is reachable", refused.ErrorMessage);
        var unknown = await Node(1).Gateway.Ask<MemberChangeResponse>(new DownMemberRequest("9"), Timeout);
        Assert.Equal(ErrorCode.BrokerNotAvailable, unknown.Error);

        var killed = AddressOf(3);
        await Node(3).System.Terminate();
        await Eventually.True(async () =>
        {
            // Broker 2 may hear of broker 3 only by gossip, after the metadata the set-up waited for.
            var member = (await Describe(2)).Members.SingleOrDefault(m => m.BrokerId == 3);
            return member is { Reachable: false } && member.UnreachableFrom.Order().SequenceEqual(new[] { AddressOf(1), AddressOf(2) }.Order());
        }, Patience, "brokers 1 and 2 both see broker 3 unreachable");

        var downed = await Node(2).Gateway.Ask<MemberChangeResponse>(new DownMemberRequest(killed), Timeout);

        Assert.Equal((ErrorCode.None, killed), (downed.Error, downed.Address));
        await Eventually.True(async () => (await Describe(1)).Members.All(m => m.BrokerId != 3), Patience, "broker 3 is removed");
        var after = await Describe(1);
        Assert.All(after.Members, m => Assert.True(m.Reachable));
    }
}
