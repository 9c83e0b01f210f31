using AkkaStream.Broker.Groups;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>Committed offsets in <see cref="GroupCoordinator"/>: who may commit, per-partition errors, retention, deletion, recovery.</summary>
public sealed class GroupCoordinatorOffsetTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private readonly GroupHarness _h = new(new GroupSettings
    {
        MinSessionTimeout = TimeSpan.FromSeconds(1),
        InitialRebalanceDelay = TimeSpan.Zero,
        OffsetsRetention = Retention,
        OffsetMetadataMaxBytes = 8,
    });

    private static OffsetCommitPartition Offset(string topic, int partition, long offset, string? metadata = null) => GroupHarness.Offset(topic, partition, offset, metadata);

    [Fact]
    public void Standalone_commits_are_taken_while_the_group_has_no_members()
    {
        var committed = _h.Commit(-1, "", Offset("t", 0, 5), Offset("t", 1, 7, "meta"));
        Assert.All(committed.Partitions, p => Assert.Equal(ErrorCode.None, p.Error));
        Assert.Equal((5L, 7L), (_h.Committed("t", 0), _h.Committed("t", 1)));
        Assert.Null(_h.Committed("t", 2));
        var all = _h.Coordinator.Fetch(new OffsetFetchRequest("g", null));
        Assert.Equal([("t", 0, 5L, (string?)null), ("t", 1, 7L, "meta")], all.Partitions.Select(p => (p.Topic, p.Partition, p.Offset, p.Metadata)));
        Assert.True(_h.Coordinator.IsKnown);
        Assert.Equal(GroupPhase.Empty, _h.Coordinator.Group.Phase);

        _h.JoinNew("a");
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Commit(-1, "", Offset("t", 0, 6)).Partitions[0].Error);
        Assert.Equal(5, _h.Committed("t", 0));
    }

    [Fact]
    public void A_member_commits_with_its_generation_and_not_while_the_rebalance_completes()
    {
        var joined = _h.JoinNew("a");
        Assert.Equal(ErrorCode.RebalanceInProgress, _h.Commit(1, joined.MemberId, Offset("t", 0, 1)).Partitions[0].Error);
        _h.Sync("a", joined.MemberId, 1);
        Assert.Equal(ErrorCode.None, _h.Commit(1, joined.MemberId, Offset("t", 0, 1)).Partitions[0].Error);
        Assert.Equal(ErrorCode.IllegalGeneration, _h.Commit(0, joined.MemberId, Offset("t", 0, 2)).Partitions[0].Error);
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Commit(1, "nobody", Offset("t", 0, 3)).Partitions[0].Error);
        Assert.Equal(1, _h.Committed("t", 0));
    }

    [Fact]
    public void Oversized_metadata_and_unknown_partitions_fail_only_their_partition()
    {
        var committed = _h.Commit(-1, "", Offset("t", 0, 1, "12345678"), Offset("t", 1, 1, "123456789"), Offset("missing", 0, 1));
        Assert.Equal([ErrorCode.None, ErrorCode.OffsetMetadataTooLarge, ErrorCode.UnknownTopicOrPartition], committed.Partitions.Select(p => p.Error));
        Assert.Equal(1, _h.Committed("t", 0));
        Assert.Null(_h.Committed("t", 1));
        Assert.Single(((OffsetsCommitted)_h.Events.Single()).Offsets);
    }

    [Fact]
    public void A_group_that_only_commits_expires_each_offset_retention_after_its_commit_then_dies()
    {
        _h.Commit(-1, "", Offset("t", 0, 1));
        _h.NowMs += (long)TimeSpan.FromHours(12).TotalMilliseconds;
        _h.Commit(-1, "", Offset("t", 1, 1));
        _h.NowMs += (long)TimeSpan.FromHours(12).TotalMilliseconds;

        Assert.False(_h.Coordinator.ExpireOffsets(_ => true));
        Assert.Equal((null, 1L), (_h.Committed("t", 0), _h.Committed("t", 1)));
        Assert.Equal([new TopicPartitionRef("t", 0)], Assert.IsType<OffsetsRemoved>(_h.Coordinator.Drain().Events.Single()).Partitions);

        _h.NowMs += (long)TimeSpan.FromHours(12).TotalMilliseconds;
        Assert.True(_h.Coordinator.ExpireOffsets(_ => true));
        Assert.Equal(GroupPhase.Dead, _h.Coordinator.Group.Phase);
        Assert.IsType<GroupDeleted>(_h.Coordinator.Drain().Events[^1]);
        Assert.Equal("Dead", _h.Coordinator.Describe().State);
    }

    [Fact]
    public void A_consumer_group_keeps_its_offsets_while_it_has_members_and_expires_them_retention_after_it_became_empty()
    {
        var joined = _h.JoinNew("a");
        _h.Sync("a", joined.MemberId, 1);
        _h.Commit(1, joined.MemberId, Offset("t", 0, 9));
        _h.NowMs += (long)Retention.TotalMilliseconds * 2;
        _h.Heartbeat("a", joined.MemberId, 1);
        Assert.False(_h.Coordinator.ExpireOffsets(_ => true));
        Assert.Equal(9, _h.Committed("t", 0));

        _h.Send("a", c => c.Leave(new LeaveGroupRequest("g", [new LeavingMember(joined.MemberId, null)]), "a"));
        _h.NowMs += (long)Retention.TotalMilliseconds - 1;
        Assert.False(_h.Coordinator.ExpireOffsets(_ => true));
        Assert.Equal(9, _h.Committed("t", 0));
        _h.NowMs += 1;
        Assert.True(_h.Coordinator.ExpireOffsets(_ => true));
        Assert.Null(_h.Committed("t", 0));
    }

    [Fact]
    public void Offsets_of_deleted_topics_go_even_while_the_group_has_members()
    {
        var joined = _h.JoinNew("a");
        _h.Sync("a", joined.MemberId, 1);
        _h.Commit(1, joined.MemberId, Offset("gone", 0, 1), Offset("kept", 0, 2));
        Assert.False(_h.Coordinator.ExpireOffsets(null)); // no metadata yet: nothing counts as deleted
        Assert.Equal(1, _h.Committed("gone", 0));
        Assert.False(_h.Coordinator.ExpireOffsets(topic => topic == "kept"));
        Assert.Equal((null, 2L), (_h.Committed("gone", 0), _h.Committed("kept", 0)));
    }

    [Fact]
    public void Only_an_existing_empty_group_can_be_deleted()
    {
        _h.Send("x", c => c.Delete("x"));
        Assert.Equal(ErrorCode.GroupIdNotFound, _h.Reply<DeleteGroupResponse>("x").Error);

        var joined = _h.JoinNew("a");
        _h.Send("x", c => c.Delete("x"));
        Assert.Equal(ErrorCode.NonEmptyGroup, _h.Reply<DeleteGroupResponse>("x").Error);

        _h.Send("a", c => c.Leave(new LeaveGroupRequest("g", [new LeavingMember(joined.MemberId, null)]), "a"));
        _h.Commit(-1, "", Offset("t", 0, 1));
        _h.Send("x", c => c.Delete("x"));
        Assert.Equal(ErrorCode.None, _h.Reply<DeleteGroupResponse>("x").Error);
        Assert.IsType<GroupDeleted>(_h.Events[^1]);
        Assert.Null(_h.Committed("t", 0));
        _h.Send("x", c => c.Delete("x"));
        Assert.Equal(ErrorCode.GroupIdNotFound, _h.Reply<DeleteGroupResponse>("x").Error);

        // The id can be used again: a new group from generation 1.
        Assert.Equal(1, _h.JoinNew("b").GenerationId);
    }

    [Fact]
    public void Replaying_the_events_or_a_snapshot_restores_the_generation_the_members_and_the_offsets()
    {
        var (a, b) = _h.TwoStableMembers();
        _h.Commit(2, a, Offset("t", 0, 3));
        _h.Commit(2, b, Offset("t", 1, 4));

        var fromEvents = new GroupCoordinator("g", GroupSettings.Default, () => _h.NowMs);
        foreach (var e in _h.Events) fromEvents.Apply(e);
        fromEvents.RecoveryCompleted();
        var fromSnapshot = new GroupCoordinator("g", GroupSettings.Default, () => _h.NowMs);
        fromSnapshot.Apply(_h.Coordinator.ToSnapshot());

        foreach (var restored in new[] { fromEvents, fromSnapshot })
        {
            Assert.Equal((GroupPhase.Stable, 2, a, "range"), (restored.Group.Phase, restored.Group.Generation, restored.Group.Leader, restored.Group.ProtocolName));
            Assert.Equal([a, b], restored.Group.Members.Select(m => m.MemberId));
            Assert.Equal([2], restored.Group.Get(b).Assignment);
            Assert.Equal([3L, 4L], restored.Fetch(new OffsetFetchRequest("g", null)).Partitions.Select(p => p.Offset));
            restored.Heartbeat(new HeartbeatRequest("g", 2, b, null), "b");
            Assert.Equal(ErrorCode.None, ((HeartbeatResponse)restored.Drain().Replies.Single().Message).Error);
        }
    }
}
