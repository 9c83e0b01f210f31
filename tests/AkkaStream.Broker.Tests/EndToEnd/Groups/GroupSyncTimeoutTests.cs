using Akka.Actor;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>
/// A member that joins a generation and never sends SyncGroup, against a real broker: a raw member
/// (JoinGroup and SyncGroup sent straight to the gateway) leads a generation beside an actor-client
/// member and then goes silent. Its session (two minutes) would keep it in the group far longer
/// than the test waits; the sync deadline removes it once the short rebalance timeout has passed,
/// and the actor-client member, which was waiting in CompletingRebalance for the leader's
/// assignment, rejoins, leads and takes every partition.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupSyncTimeoutTests(ITestOutputHelper output) : GroupBrokerTest
{
    private const string Group = "unsynced";
    private const string Topic = "unsynced-topic";
    private const int RebalanceTimeoutMs = 3_000;
    private const int SilentSessionMs = 120_000;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The bound: the rebalance timeout, then a rejoin and sync of the remaining member, with room for a loaded machine, far below the silent member's session.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(RebalanceTimeoutMs) + TimeSpan.FromSeconds(20);

    private JoinGroupRequest RawJoin(string memberId) =>
        new(Group, memberId, null, "consumer", [new GroupProtocol("range", new ConsumerProtocolSubscription([Topic]).Encode())],
            SilentSessionMs, RebalanceTimeoutMs, RequireKnownMemberId: false, ClientId: "silent", ClientHost: "/127.0.0.1");

    private Task<DescribeGroupResponse> DescribeAsync() => Node.Gateway.Ask<DescribeGroupResponse>(new DescribeGroupRequest(Group), AskTimeout);

    [Fact]
    public async Task A_leader_that_never_syncs_is_removed_after_the_rebalance_timeout_and_the_waiting_member_takes_every_partition()
    {
        await using (var admin = ClientFor.Create([Node]))
        {
            Assert.Equal(ErrorCode.None, (await admin.Admin.CreateTopicAsync(Topic, partitions: 4, replicationFactor: 1)).Error);
        }

        // The raw member starts the group alone and syncs its first generation, so it is a member in good standing.
        var first = await Node.Gateway.Ask<JoinGroupResponse>(RawJoin(""), AskTimeout);
        Assert.Equal((ErrorCode.None, first.MemberId), (first.Error, first.Leader));
        var synced = await Node.Gateway.Ask<SyncGroupResponse>(
            new SyncGroupRequest(Group, first.GenerationId, first.MemberId, null, "consumer", "range", [new GroupAssignment(first.MemberId, [])]), AskTimeout);
        Assert.Equal(ErrorCode.None, synced.Error);

        // The actor-client member joins; the group waits for the raw member to rejoin, which it does, and so leads generation 2.
        var member = Track(GroupMemberRunner.Start("waiting", [Node], Group, Topic,
            config: GroupNodes.ClientConfig("range", TimeSpan.FromSeconds(3), $"akkastream.client.consumer.max-poll-interval = {RebalanceTimeoutMs}ms",
                // Its own SyncGroup waits longer than the bound: giving up on it and rejoining would also get rid of the silent leader.
                "akkastream.client.request-timeout = 60s")));
        await Eventually.True(async () => await DescribeAsync() is { State: "PreparingRebalance", Members.Count: 2 },
            TimeSpan.FromSeconds(60), "the actor-client member joined and the group waits for the raw member");
        var second = await Node.Gateway.Ask<JoinGroupResponse>(RawJoin(first.MemberId), AskTimeout);
        Assert.Equal((ErrorCode.None, first.MemberId, 2), (second.Error, second.Leader, second.Members.Count));
        var joinedAt = DateTime.UtcNow;

        // It never syncs: the other member must not wait for the raw member's session (two minutes).
        await Eventually.True(() => member.Assignment.Count == 4, Bound, () => $"the waiting member holds {member.Assignment.Count} partition(s)");
        output.WriteLine($"the waiting member held every partition {(DateTime.UtcNow - joinedAt).TotalSeconds:F1} s after the silent leader's join (rebalance timeout {RebalanceTimeoutMs} ms)");
        var described = await DescribeAsync();
        Assert.Equal("Stable", described.State);
        Assert.Equal([(await member.Consumer.MembershipAsync()).MemberId], described.Members.Select(m => m.MemberId));
        Assert.True(DateTime.UtcNow - joinedAt >= TimeSpan.FromMilliseconds(RebalanceTimeoutMs), "the silent member had the rebalance timeout to sync");

        var beat = await Node.Gateway.Ask<HeartbeatResponse>(new HeartbeatRequest(Group, second.GenerationId, first.MemberId, null), AskTimeout);
        Assert.Equal(ErrorCode.UnknownMemberId, beat.Error);
        Assert.Empty(member.Failures);
    }
}
