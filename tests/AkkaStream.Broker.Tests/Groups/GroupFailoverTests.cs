using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>Three brokers (three ActorSystems, one shared journal file): a group outlives the broker that coordinates it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();
    private readonly BrokerNode?[] _nodes = new BrokerNode?[4];

    private string Journal => _dir.Sub("cluster.db");

    private IEnumerable<BrokerNode> Live => _nodes.OfType<BrokerNode>().Where(n => !n.WhenTerminated.IsCompleted);

    private static readonly string[] Extra =
    [
        "akkastream.groups.initial-rebalance-delay = 0s",
        "akkastream.groups.min-session-timeout = 1s",
        // A broker is stopped abruptly: terminating its system must not leave the cluster gracefully.
        "akka.coordinated-shutdown.run-by-actor-system-terminate = off",
    ];

    public async Task InitializeAsync()
    {
        _nodes[1] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-1"), 1, Journal, null, Extra));
        var seed = _nodes[1]!.Cluster.SelfAddress.ToString();
        _nodes[2] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-2"), 2, Journal, seed, Extra));
        _nodes[3] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node-3"), 3, Journal, seed, Extra));
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Brokers.Count == 3), TimeSpan.FromSeconds(40), "every broker sees three brokers");
    }

    public async Task DisposeAsync()
    {
        await Brokers.StopAllAsync(Live, output);
        _dir.Dispose();
    }

    [Fact]
    public async Task When_the_coordinators_broker_dies_another_broker_coordinates_the_group_with_its_committed_offsets()
    {
        var first = _nodes[1]!;
        var created = await first.Gateway.Ask<CreateTopicResponse>(new CreateTopicRequest("clicks", 3, 1, new Dictionary<string, string>()), Timeout);
        Assert.Equal(ErrorCode.None, created.Error);
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Topics.ContainsKey("clicks")));

        // Every gateway serves the group, wherever its entity runs.
        var joined = await _nodes[2]!.Gateway.Ask<JoinGroupResponse>(
            new JoinGroupRequest("survivors", "", null, "consumer", [new GroupProtocol("range", [1])], 10_000, 10_000, false), Timeout);
        Assert.Equal(ErrorCode.None, joined.Error);
        var synced = await _nodes[3]!.Gateway.Ask<SyncGroupResponse>(
            new SyncGroupRequest("survivors", 1, joined.MemberId, null, null, null, [new GroupAssignment(joined.MemberId, [1])]), Timeout);
        Assert.Equal(ErrorCode.None, synced.Error);
        var committed = await first.Gateway.Ask<OffsetCommitResponse>(new OffsetCommitRequest("survivors", 1, joined.MemberId, null,
            [new OffsetCommitPartition("clicks", 0, 10, 0, "a"), new OffsetCommitPartition("clicks", 2, 20, 0, null)]), Timeout);
        Assert.All(committed.Partitions, p => Assert.Equal(ErrorCode.None, p.Error));

        var before = await first.Gateway.Ask<FindCoordinatorResponse>(new FindCoordinatorRequest("survivors"), Timeout);
        Assert.Equal(ErrorCode.None, before.Error);
        var hostId = before.BrokerId;
        output.WriteLine($"group coordinated by broker {hostId}");
        var host = _nodes[hostId]!;
        await host.System.Terminate();
        await host.WhenReleased;

        var survivor = Live.First();
        var after = await Eventually.Reply<FindCoordinatorResponse>(survivor.Gateway, new FindCoordinatorRequest("survivors"),
            r => r.Error == ErrorCode.None && r.BrokerId != hostId, TimeSpan.FromSeconds(60));
        Assert.Contains(after.BrokerId, Live.Select(n => n.Settings.BrokerId));

        var fetched = await Eventually.Reply<OffsetFetchResponse>(survivor.Gateway, new OffsetFetchRequest("survivors", null),
            r => r.Error == ErrorCode.None && r.Partitions.Count == 2, TimeSpan.FromSeconds(30));
        Assert.Equal([("clicks", 0, 10L, "a"), ("clicks", 2, 20L, (string?)null)], fetched.Partitions.Select(p => (p.Topic, p.Partition, p.Offset, p.Metadata)));
        var described = await survivor.Gateway.Ask<DescribeGroupResponse>(new DescribeGroupRequest("survivors"), Timeout);
        Assert.Equal("Stable", described.State);
        Assert.Equal(joined.MemberId, Assert.Single(described.Members).MemberId);
        // Every surviving broker lists the group (asking its entity across the cluster).
        foreach (var node in Live)
        {
            var listed = await node.Gateway.Ask<ListGroupsResponse>(ListGroupsRequest.Instance, Timeout);
            Assert.Equal([new ListedGroup("survivors", "consumer", "Stable")], listed.Groups);
        }
    }
}
