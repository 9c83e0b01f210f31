using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>The group coordinator through a real broker's gateway, with the real SQLite journal.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupGatewayTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Akka.Configuration.Config NodeConfig() => Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db"), null,
        "akkastream.groups.initial-rebalance-delay = 0s", "akkastream.groups.min-session-timeout = 1s");

    private static JoinGroupRequest Join(string group, string memberId, bool requireKnownMemberId = false) =>
        new(group, memberId, null, "consumer", [new GroupProtocol("range", [1, 2, 3])], 10_000, 10_000, requireKnownMemberId);

    private static async Task CreateTopic(BrokerNode node, string topic, int partitions)
    {
        var created = await node.Gateway.Ask<CreateTopicResponse>(new CreateTopicRequest(topic, partitions, -1, new Dictionary<string, string>()), Timeout);
        Assert.Equal(ErrorCode.None, created.Error);
        await Eventually.True(() => node.Metadata.Current.Topics.ContainsKey(topic));
    }

    [Fact]
    public async Task Join_sync_heartbeat_commit_and_fetch_and_the_group_survives_a_restart()
    {
        string memberId;
        var node = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            await CreateTopic(node, "orders", 2);
            var required = await node.Gateway.Ask<JoinGroupResponse>(Join("g1", "", requireKnownMemberId: true), Timeout);
            Assert.Equal(ErrorCode.MemberIdRequired, required.Error);
            Assert.NotEmpty(required.MemberId);

            var joined = await node.Gateway.Ask<JoinGroupResponse>(Join("g1", required.MemberId, requireKnownMemberId: true), Timeout);
            Assert.True(joined.Error == ErrorCode.None, joined.ErrorMessage);
            Assert.Equal((1, "range", required.MemberId), (joined.GenerationId, joined.ProtocolName, joined.Leader));
            Assert.Equal([1, 2, 3], Assert.Single(joined.Members).Metadata);
            memberId = joined.MemberId;

            var synced = await node.Gateway.Ask<SyncGroupResponse>(
                new SyncGroupRequest("g1", 1, memberId, null, "consumer", "range", [new GroupAssignment(memberId, [9, 9])]), Timeout);
            Assert.Equal(ErrorCode.None, synced.Error);
            Assert.Equal([9, 9], synced.Assignment);

            var beat = await node.Gateway.Ask<HeartbeatResponse>(new HeartbeatRequest("g1", 1, memberId, null), Timeout);
            Assert.Equal(ErrorCode.None, beat.Error);
            var stale = await node.Gateway.Ask<HeartbeatResponse>(new HeartbeatRequest("g1", 0, memberId, null), Timeout);
            Assert.Equal(ErrorCode.IllegalGeneration, stale.Error);

            var committed = await node.Gateway.Ask<OffsetCommitResponse>(new OffsetCommitRequest("g1", 1, memberId, null,
                [new OffsetCommitPartition("orders", 0, 42, 0, "m"), new OffsetCommitPartition("orders", 9, 1, -1, null)]), Timeout);
            Assert.Equal([ErrorCode.None, ErrorCode.UnknownTopicOrPartition], committed.Partitions.Select(p => p.Error));

            var fetched = await node.Gateway.Ask<OffsetFetchResponse>(new OffsetFetchRequest("g1", [new TopicPartitionRef("orders", 0), new TopicPartitionRef("orders", 1)]), Timeout);
            Assert.Equal([(42L, "m"), (-1L, null)], fetched.Partitions.Select(p => (p.Offset, p.Metadata)));

            var coordinator = await node.Gateway.Ask<FindCoordinatorResponse>(new FindCoordinatorRequest("g1"), Timeout);
            Assert.Equal((ErrorCode.None, 1), (coordinator.Error, coordinator.BrokerId));
            var described = await node.Gateway.Ask<DescribeGroupResponse>(new DescribeGroupRequest("g1"), Timeout);
            Assert.Equal(("Stable", "consumer", "range"), (described.State, described.ProtocolType, described.ProtocolName));
            Assert.Equal([9, 9], Assert.Single(described.Members).Assignment);

            var invalid = await node.Gateway.Ask<JoinGroupResponse>(Join("", ""), Timeout);
            Assert.Equal(ErrorCode.InvalidGroupId, invalid.Error);
        }
        finally
        {
            await node.StopAsync();
        }

        var restarted = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            await Eventually.True(() => restarted.Metadata.Current.Topics.ContainsKey("orders"));
            // Listed before any request has started the group's entity again: the journal knows it.
            var listed = await restarted.Gateway.Ask<ListGroupsResponse>(ListGroupsRequest.Instance, Timeout);
            Assert.Equal([new ListedGroup("g1", "consumer", "Stable")], listed.Groups);
            var fetched = await restarted.Gateway.Ask<OffsetFetchResponse>(new OffsetFetchRequest("g1", null), Timeout);
            Assert.Equal(42, Assert.Single(fetched.Partitions).Offset);
            // The member and its generation were recovered: its session restarted with the entity.
            var beat = await restarted.Gateway.Ask<HeartbeatResponse>(new HeartbeatRequest("g1", 1, memberId, null), Timeout);
            Assert.Equal(ErrorCode.None, beat.Error);
            var described = await restarted.Gateway.Ask<DescribeGroupResponse>(new DescribeGroupRequest("g1"), Timeout);
            Assert.Equal("Stable", described.State);
        }
        finally
        {
            await restarted.StopAsync();
        }
    }

    [Fact]
    public async Task ListGroups_DescribeGroup_and_DeleteGroup_see_every_group_and_delete_only_empty_ones()
    {
        var node = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            await CreateTopic(node, "events", 1);
            var joined = await node.Gateway.Ask<JoinGroupResponse>(Join("members", ""), Timeout);
            Assert.Equal(ErrorCode.None, joined.Error);
            var standalone = await node.Gateway.Ask<OffsetCommitResponse>(
                new OffsetCommitRequest("standalone", -1, "", null, [new OffsetCommitPartition("events", 0, 3, -1, null)]), Timeout);
            Assert.Equal(ErrorCode.None, standalone.Partitions[0].Error);
            // A request for an unused id starts its entity, but that makes no group.
            var unknown = await node.Gateway.Ask<DescribeGroupResponse>(new DescribeGroupRequest("nobody"), Timeout);
            Assert.Equal("Dead", unknown.State);

            var listed = await node.Gateway.Ask<ListGroupsResponse>(ListGroupsRequest.Instance, Timeout);
            Assert.Equal([new ListedGroup("members", "consumer", "CompletingRebalance"), new ListedGroup("standalone", "", "Empty")], listed.Groups);
            var described = await node.Gateway.Ask<DescribeGroupResponse>(new DescribeGroupRequest("standalone"), Timeout);
            Assert.Equal(("Empty", ErrorCode.None), (described.State, described.Error));

            Assert.Equal(ErrorCode.NonEmptyGroup, (await node.Gateway.Ask<DeleteGroupResponse>(new DeleteGroupRequest("members"), Timeout)).Error);
            Assert.Equal(ErrorCode.GroupIdNotFound, (await node.Gateway.Ask<DeleteGroupResponse>(new DeleteGroupRequest("nobody"), Timeout)).Error);
            Assert.Equal(ErrorCode.None, (await node.Gateway.Ask<DeleteGroupResponse>(new DeleteGroupRequest("standalone"), Timeout)).Error);
            Assert.Equal(ErrorCode.GroupIdNotFound, (await node.Gateway.Ask<DeleteGroupResponse>(new DeleteGroupRequest("standalone"), Timeout)).Error);
            var fetched = await node.Gateway.Ask<OffsetFetchResponse>(new OffsetFetchRequest("standalone", null), Timeout);
            Assert.Empty(fetched.Partitions);

            listed = await node.Gateway.Ask<ListGroupsResponse>(ListGroupsRequest.Instance, Timeout);
            Assert.Equal(["members"], listed.Groups.Select(g => g.GroupId));
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
