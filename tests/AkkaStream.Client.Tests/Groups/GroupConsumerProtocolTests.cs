using Akka.Actor;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Consumer;
using AkkaStream.Client.Groups;
using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Groups;

/// <summary>
/// The group consumer against a scripted coordinator (broker 2's gateway probe): the requests it
/// sends at each step of Kafka's group protocol, and what it does with each answer. Heartbeats are
/// answered by the probe itself with <see cref="_heartbeat"/>; partition data lives on broker 1.
/// </summary>
public sealed class GroupConsumerProtocolTests : FakeCluster
{
    private const string GroupConfig = """
        akkastream.client.consumer {
          partition-assignment-strategy = ["range"]
          session-timeout = 3s
          heartbeat-interval = 200ms
          max-poll-interval = 20s
          auto-commit-interval = 1h
          auto-offset-reset = earliest
        }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TopicPartition[] Mine = [new("orders", 0), new("orders", 1), new("orders", 2)];
    private volatile object _heartbeat = ErrorCode.None;

    public GroupConsumerProtocolTests()
        : base(GroupConfig)
    {
        AnswerByItself = message => message switch
        {
            HeartbeatRequest => new HeartbeatResponse((ErrorCode)_heartbeat, null),
            FindCoordinatorRequest r => new FindCoordinatorResponse(r.GroupId, ErrorCode.None, null, 2),
            _ => null,
        };
        foreach (var probe in new[] { Broker1, Broker2 })
        {
            probe.IgnoreMessages(m => m is MetadataRequest or InitProducerIdRequest or HeartbeatRequest or FindCoordinatorRequest);
        }
    }

    private AkkaStreamGroupConsumer Create(string strategy = "range") =>
        Client.CreateGroupConsumer("g1", Settings.Consumer with { Group = Settings.Consumer.Group with { PartitionAssignmentStrategy = [strategy] } });

    private static async Task<object> Poll(AkkaStreamGroupConsumer consumer, TimeSpan? timeout = null) =>
        await consumer.Actor.Ask<object>(new Poll(timeout ?? Wait), Wait + Wait);

    private static OffsetFetchResponse Committed(params (int Partition, long Offset)[] offsets) =>
        new(ErrorCode.None, null, offsets.Select(o => new CommittedOffset("orders", o.Partition, o.Offset, -1, null, 0, ErrorCode.None)).ToList());

    /// <summary>
    /// Subscribes, goes through the member-id-required join as leader of a group with "m-2", syncs,
    /// and answers the committed-offset look-up: partition 0 at 17, 1 with none, 2 at 5. Returns the
    /// gateway ref partition 0's first fetch came from.
    /// </summary>
    private async Task<IActorRef> JoinAsLeader(AkkaStreamGroupConsumer consumer, GroupSettings? settings = null)
    {
        var consumerSettings = settings ?? Settings.Consumer.Group;
        consumer.Subscribe(["orders"]);
        var first = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Assert.Equal(("g1", "", true, "consumer"), (first.GroupId, first.MemberId, first.RequireKnownMemberId, first.ProtocolType));
        Assert.Equal(consumerSettings.GroupInstanceId, first.GroupInstanceId);
        Assert.Equal((3000, (int)consumerSettings.MaxPollInterval.TotalMilliseconds), (first.SessionTimeoutMs, first.RebalanceTimeoutMs));
        var offered = Assert.Single(first.Protocols);
        Assert.Equal(["orders"], ConsumerProtocolSubscription.Decode(offered.Metadata).Topics);
        Broker2.Reply(new JoinGroupResponse(ErrorCode.MemberIdRequired, null, -1, null, null, "", "m-1", []));

        var join = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Assert.Equal("m-1", join.MemberId);
        var other = new ConsumerProtocolSubscription(["orders"]).Encode();
        Broker2.Reply(new JoinGroupResponse(ErrorCode.None, null, 1, "consumer", offered.Name, "m-1", "m-1",
            [new JoinGroupMember("m-1", null, join.Protocols[0].Metadata), new JoinGroupMember("m-2", null, other)]));

        var sync = Broker2.ExpectMsg<SyncGroupRequest>(Wait);
        Assert.Equal((1, "m-1", offered.Name, consumerSettings.GroupInstanceId), (sync.GenerationId, sync.MemberId, sync.ProtocolName, sync.GroupInstanceId));
        var byMember = sync.Assignments.ToDictionary(a => a.MemberId, a => ConsumerProtocolAssignment.Decode(a.Assignment).Partitions);
        Assert.Equal(6, byMember.Values.Sum(p => p.Count));
        Broker2.Reply(new SyncGroupResponse(ErrorCode.None, null, "consumer", offered.Name, new ConsumerProtocolAssignment(Mine).Encode()));

        var lookUp = Broker2.ExpectMsg<OffsetFetchRequest>(Wait);
        Assert.Equal([0, 1, 2], lookUp.Partitions!.Select(p => p.Partition).Order());
        Broker2.Reply(Committed((0, 17), (1, -1), (2, 5)));

        var fetches = new Dictionary<int, long>();
        IActorRef? partition0 = null;
        ListOffsetsRequest? reset = null;
        Broker1.FishForMessage(m =>
        {
            if (m is FetchRequest f && fetches.TryAdd(f.Partition, f.Offset) && f.Partition == 0)
            {
                partition0 = Broker1.LastSender;
            }
            reset ??= m as ListOffsetsRequest;
            return fetches.ContainsKey(0) && fetches.ContainsKey(2) && reset is not null;
        }, Wait);
        Assert.Equal((17L, 5L), (fetches[0], fetches[2]));
        Assert.Equal((1, ListOffsetsRequest.Earliest), (reset!.Partition, reset.Timestamp));

        var assigned = Assert.IsType<PartitionsAssigned>(await Poll(consumer));
        Assert.Equal(Mine, assigned.Partitions);
        Assert.Equal(1, assigned.GenerationId);
        return partition0!;
    }

    [Fact]
    public async Task Range_leader_assigns_every_member_and_starts_each_partition_at_its_committed_offset()
    {
        await using var consumer = Create();
        await JoinAsLeader(consumer);

        var membership = await consumer.MembershipAsync();
        Assert.Equal(("m-1", 1, true, "range"), (membership.MemberId, membership.GenerationId, membership.IsLeader, membership.Protocol));
        Assert.Equal(Mine, membership.Partitions);
    }

    [Fact]
    public async Task An_eager_member_revokes_everything_and_rejoins_only_after_the_application_polls_again_committing_first()
    {
        await using var consumer = Create();
        var gateway = await JoinAsLeader(consumer);
        gateway.Tell(new FetchResponse("orders", 0, ErrorCode.None, null, 100, 0, Batch(17, 3)), Broker1.Ref);
        var records = Assert.IsType<PollResult>(await Poll(consumer)).Records;
        Assert.Equal([17L, 18, 19], records.Select(r => r.Offset));

        _heartbeat = ErrorCode.RebalanceInProgress;
        var revoked = Assert.IsType<PartitionsRevoked>(await Poll(consumer));
        Assert.Equal(Mine, revoked.Partitions);
        _heartbeat = ErrorCode.None;

        // The application is still handling the revocation: nothing is committed or rejoined yet.
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(800));
        _ = Poll(consumer, TimeSpan.FromMilliseconds(100));

        var commit = Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Assert.Equal((1, "m-1"), (commit.GenerationId, commit.MemberId));
        var committed = Assert.Single(commit.Partitions);
        Assert.Equal(("orders", 0, 20L), (committed.Topic, committed.Partition, committed.Offset));
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.None, null, [new OffsetCommitPartitionResult("orders", 0, ErrorCode.None)]));

        var rejoin = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Assert.Equal("m-1", rejoin.MemberId);
        Assert.Empty(ConsumerProtocolSubscription.Decode(rejoin.Protocols[0].Metadata).Owned);
    }

    [Fact]
    public async Task A_fenced_member_loses_its_partitions_without_committing_and_rejoins_with_a_new_member_id()
    {
        await using var consumer = Create();
        var gateway = await JoinAsLeader(consumer);
        gateway.Tell(new FetchResponse("orders", 0, ErrorCode.None, null, 100, 0, Batch(17, 2)), Broker1.Ref);
        Assert.IsType<PollResult>(await Poll(consumer));

        _heartbeat = ErrorCode.UnknownMemberId;
        var lost = Assert.IsType<PartitionsLost>(await Poll(consumer));
        Assert.Equal(Mine, lost.Partitions);

        var rejoin = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Assert.Equal("", rejoin.MemberId);
        var joining = Broker2.LastSender;

        // A commit made meanwhile waits for the next generation, where the partition is someone else's.
        var commit = Assert.ThrowsAsync<AkkaStreamException>(() => consumer.CommitAsync(new Dictionary<TopicPartition, long> { [Mine[0]] = 19 }));
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        joining.Tell(new JoinGroupResponse(ErrorCode.None, null, 2, "consumer", "range", "m-2", "m-9", []), Broker2.Ref);
        var sync = Broker2.ExpectMsg<SyncGroupRequest>(Wait);
        Assert.Equal((2, "m-9"), (sync.GenerationId, sync.MemberId));
        Assert.Empty(sync.Assignments);
        Broker2.Reply(new SyncGroupResponse(ErrorCode.None, null, "consumer", "range", new ConsumerProtocolAssignment([new("orders", 3)]).Encode()));
        Assert.Equal(ErrorCode.IllegalGeneration, (await commit).Code);
    }

    [Fact]
    public async Task A_commit_that_meets_a_moving_coordinator_is_sent_again_once_the_member_finds_the_coordinator()
    {
        await using var consumer = Create();
        await JoinAsLeader(consumer);

        var commit = consumer.CommitAsync(new Dictionary<TopicPartition, long> { [Mine[0]] = 19 });
        Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.NotCoordinator, null, []));

        // The member looks the coordinator up again (the probe answers broker 2 by itself) and sends the same commit.
        var again = Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Assert.Equal((1, "m-1"), (again.GenerationId, again.MemberId));
        Assert.Equal(("orders", 0, 19L), (again.Partitions.Single().Topic, again.Partitions.Single().Partition, again.Partitions.Single().Offset));
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.None, null, [new OffsetCommitPartitionResult("orders", 0, ErrorCode.None)]));
        Assert.Equal(19, (await commit)[Mine[0]]);
    }

    [Fact]
    public async Task A_cooperative_member_keeps_fetching_what_it_keeps_and_revokes_only_what_moves_before_its_follow_up_join()
    {
        await using var consumer = Create("cooperative-sticky");
        await JoinAsLeader(consumer);

        _heartbeat = ErrorCode.RebalanceInProgress;
        var join = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        _heartbeat = ErrorCode.None;
        var subscription = ConsumerProtocolSubscription.Decode(join.Protocols[0].Metadata);
        Assert.Equal(Mine, subscription.Owned);
        Assert.Equal(1, subscription.GenerationId);

        var second = new ConsumerProtocolSubscription(["orders"], null, [new("orders", 3), new("orders", 4), new("orders", 5)], 1).Encode();
        var third = new ConsumerProtocolSubscription(["orders"]).Encode();
        Broker2.Reply(new JoinGroupResponse(ErrorCode.None, null, 2, "consumer", "cooperative-sticky", "m-1", "m-1",
            [new JoinGroupMember("m-1", null, join.Protocols[0].Metadata), new JoinGroupMember("m-2", null, second), new JoinGroupMember("m-3", null, third)]));
        var sync = Broker2.ExpectMsg<SyncGroupRequest>(Wait);
        var byMember = sync.Assignments.ToDictionary(a => a.MemberId, a => ConsumerProtocolAssignment.Decode(a.Assignment).Partitions);
        // Each keeps two of its three; the partitions moving to m-3 wait for the follow-up rebalance.
        Assert.Equal(2, byMember["m-1"].Count);
        Assert.Subset(Mine.ToHashSet(), byMember["m-1"].ToHashSet());
        Assert.Equal(2, byMember["m-2"].Count);
        Assert.Empty(byMember["m-3"]);
        Broker2.Reply(new SyncGroupResponse(ErrorCode.None, null, "consumer", "cooperative-sticky", sync.Assignments.Single(a => a.MemberId == "m-1").Assignment));

        var revoked = Assert.IsType<PartitionsRevoked>(await Poll(consumer));
        Assert.Equal(Mine.Except(byMember["m-1"]), revoked.Partitions);
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        var assigned = Assert.IsType<PartitionsAssigned>(await Poll(consumer));
        Assert.Empty(assigned.Partitions);

        // Nothing was consumed, so nothing to commit: the follow-up join comes next, owning only what stayed.
        var followUp = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        var owned = ConsumerProtocolSubscription.Decode(followUp.Protocols[0].Metadata);
        Assert.Equal(byMember["m-1"], owned.Owned);
        Assert.Equal(2, owned.GenerationId);
    }

    [Fact]
    public async Task Closing_commits_the_consumed_positions_and_leaves_the_group()
    {
        var consumer = Create();
        var gateway = await JoinAsLeader(consumer);
        gateway.Tell(new FetchResponse("orders", 0, ErrorCode.None, null, 100, 0, Batch(17, 4)), Broker1.Ref);
        Assert.IsType<PollResult>(await Poll(consumer));

        var closing = consumer.DisposeAsync().AsTask();

        var commit = Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Assert.Equal(21, Assert.Single(commit.Partitions).Offset);
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.None, null, [new OffsetCommitPartitionResult("orders", 0, ErrorCode.None)]));
        var leave = Broker2.ExpectMsg<LeaveGroupRequest>(Wait);
        Assert.Equal("m-1", Assert.Single(leave.Members).MemberId);
        Broker2.Reply(new LeaveGroupResponse(ErrorCode.None, null, [new LeftMember("m-1", null, ErrorCode.None)]));
        await closing.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_member_the_application_stops_polling_leaves_after_max_poll_interval_and_rejoins_at_its_next_poll()
    {
        var settings = Settings.Consumer.Group with { MaxPollInterval = TimeSpan.FromSeconds(3) };
        await using var consumer = Client.CreateGroupConsumer("g1", Settings.Consumer with { Group = settings });
        await JoinAsLeader(consumer, settings);

        var leave = Broker2.ExpectMsg<LeaveGroupRequest>(Wait);
        Assert.Equal("m-1", Assert.Single(leave.Members).MemberId);
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        var lost = Assert.IsType<PartitionsLost>(await Poll(consumer));
        Assert.Equal(Mine, lost.Partitions);
        Assert.Equal("", Broker2.ExpectMsg<JoinGroupRequest>(Wait).MemberId);
    }

    [Fact]
    public async Task With_auto_offset_reset_none_a_partition_without_a_committed_offset_is_an_error_the_application_sees()
    {
        await using var consumer = Client.CreateGroupConsumer("g1", Settings.Consumer with { AutoOffsetReset = AutoOffsetReset.None });
        consumer.Subscribe(["orders"]);
        Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Broker2.Reply(new JoinGroupResponse(ErrorCode.MemberIdRequired, null, -1, null, null, "", "m-1", []));
        var join = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Broker2.Reply(new JoinGroupResponse(ErrorCode.None, null, 1, "consumer", "range", "m-1", "m-1", [new JoinGroupMember("m-1", null, join.Protocols[0].Metadata)]));
        Broker2.ExpectMsg<SyncGroupRequest>(Wait);
        Broker2.Reply(new SyncGroupResponse(ErrorCode.None, null, "consumer", "range", new ConsumerProtocolAssignment([Mine[0], Mine[1]]).Encode()));
        Broker2.ExpectMsg<OffsetFetchRequest>(Wait);
        Broker2.Reply(Committed((0, 4), (1, -1)));

        var e = await Assert.ThrowsAsync<AkkaStreamException>(() => consumer.PollAsync(Wait));

        Assert.Equal(ErrorCode.OffsetOutOfRange, e.Code);
        Assert.Contains("orders-1", e.Message);
        Assert.Equal(4, Broker1.FishForMessage<FetchRequest>(f => f.Partition == 0, Wait).Offset);
    }

    [Fact]
    public async Task A_static_member_names_its_instance_in_every_request_and_does_not_leave_on_close()
    {
        var settings = Settings.Consumer.Group with { GroupInstanceId = "host-7" };
        var consumer = Client.CreateGroupConsumer("g1", Settings.Consumer with { Group = settings });
        var gateway = await JoinAsLeader(consumer, settings);
        gateway.Tell(new FetchResponse("orders", 0, ErrorCode.None, null, 100, 0, Batch(17, 1)), Broker1.Ref);
        Assert.IsType<PollResult>(await Poll(consumer));

        var closing = consumer.DisposeAsync().AsTask();

        var commit = Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Assert.Equal(("host-7", 18L), (commit.GroupInstanceId, Assert.Single(commit.Partitions).Offset));
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.None, null, [new OffsetCommitPartitionResult("orders", 0, ErrorCode.None)]));
        await closing.WaitAsync(Wait);
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }
}
