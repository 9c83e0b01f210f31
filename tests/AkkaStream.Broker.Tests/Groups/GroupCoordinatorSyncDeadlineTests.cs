using AkkaStream.Broker.Groups;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>
/// The sync phase's deadline on a fake clock: a member that joined a generation but never sends
/// SyncGroup is removed once the rebalance timeout has passed since the join phase completed, as
/// in Kafka, even while it keeps heartbeating; members that synced are never removed by it.
/// </summary>
public sealed class GroupCoordinatorSyncDeadlineTests
{
    private readonly GroupHarness _h = new();

    /// <summary>a (the leader of generation 1) and b join generation 2 together; nobody has synced yet.</summary>
    private (string A, string B) JoinGenerationTwo()
    {
        var a = _h.JoinNew("a");
        Assert.Equal(GroupPhase.Stable, Sync(a, 1));
        _h.Send("b", c => c.Join(GroupHarness.JoinRequest(""), "b"));
        var a2 = _h.Join("a", a.MemberId);
        var b = _h.Reply<JoinGroupResponse>("b");
        Assert.Equal((2, 2, a.MemberId), (a2.GenerationId, b.GenerationId, a2.Leader));
        return (a.MemberId, b.MemberId);
    }

    private GroupPhase Sync(JoinGroupResponse joined, int generation)
    {
        _h.Sync("a", joined.MemberId, generation, [new GroupAssignment(joined.MemberId, [1])]);
        return _h.Coordinator.Group.Phase;
    }

    /// <summary>Advances the clock in heartbeat-sized steps up to <paramref name="ms"/>, the members still in the group heartbeating each time.</summary>
    private void AdvanceHeartbeating(int ms, params string[] memberIds)
    {
        for (var elapsed = 0; elapsed < ms; elapsed += 2_000)
        {
            _h.Advance(2_000);
            foreach (var memberId in memberIds.Where(_h.Coordinator.Group.Has)) _h.Heartbeat("beat", memberId, 2);
        }
    }

    [Fact]
    public void A_leader_that_never_syncs_is_removed_at_the_rebalance_timeout_and_the_waiting_member_rejoins_and_leads()
    {
        var (a, b) = JoinGenerationTwo();
        _h.Send("b", c => c.Sync(new SyncGroupRequest("g", 2, b, null, "consumer", "range", []), "b"));
        Assert.False(_h.HasReply("b"), "b waits for the leader's assignment");

        AdvanceHeartbeating(GroupHarness.RebalanceMs - 2_000, a);
        Assert.False(_h.HasReply("b"), "before the rebalance timeout nothing changes");
        Assert.Equal(GroupPhase.CompletingRebalance, _h.Coordinator.Group.Phase);

        AdvanceHeartbeating(4_000, a);
        Assert.Equal(ErrorCode.RebalanceInProgress, _h.Reply<SyncGroupResponse>("b").Error);
        Assert.False(_h.Coordinator.Group.Has(a));
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Heartbeat("a", a, 2).Error);

        var rejoined = _h.Join("b", b);
        Assert.Equal((3, b), (rejoined.GenerationId, rejoined.Leader));
        Assert.Equal([b], rejoined.Members.Select(m => m.MemberId));
        _h.Sync("b", b, 3, [new GroupAssignment(b, [1, 2])]);
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);
        Assert.Equal([b], _h.Coordinator.LastStored!.Members.Select(m => m.MemberId));
    }

    [Fact]
    public void A_follower_that_never_syncs_loses_its_place_in_the_stable_group_at_the_rebalance_timeout()
    {
        var (a, b) = JoinGenerationTwo();
        _h.Sync("a", a, 2, [new GroupAssignment(a, [1]), new GroupAssignment(b, [2])]);
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);

        AdvanceHeartbeating(GroupHarness.RebalanceMs - 2_000, a, b);
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);
        AdvanceHeartbeating(4_000, a, b);

        Assert.False(_h.Coordinator.Group.Has(b));
        Assert.Equal(GroupPhase.PreparingRebalance, _h.Coordinator.Group.Phase);
        var rejoined = _h.Join("a", a);
        Assert.Equal(3, rejoined.GenerationId);
        Assert.Equal([a], rejoined.Members.Select(m => m.MemberId));
    }

    [Fact]
    public void Members_that_synced_stay_past_the_rebalance_timeout_and_the_coordinator_no_longer_awaits_a_sync()
    {
        var (a, b) = _h.TwoStableMembers();
        Assert.Equal(_h.NowMs + GroupHarness.SessionMs, _h.Coordinator.NextDeadlineMs); // only the sessions are timed
        for (var elapsed = 0; elapsed < 2 * GroupHarness.RebalanceMs; elapsed += 2_000)
        {
            _h.Advance(2_000);
            _h.Heartbeat("a", a, 2);
            _h.Heartbeat("b", b, 2);
        }
        Assert.Equal((GroupPhase.Stable, 2, 2), (_h.Coordinator.Group.Phase, _h.Coordinator.Group.Generation, _h.Coordinator.Group.Count));
    }

    [Fact]
    public void While_a_member_has_not_synced_the_coordinator_times_the_sync_deadline()
    {
        var joinedAt = _h.NowMs;
        var (a, b) = JoinGenerationTwo();
        _h.Sync("a", a, 2, [new GroupAssignment(a, [1]), new GroupAssignment(b, [2])]);
        _h.NowMs = joinedAt + GroupHarness.RebalanceMs - 5_000;
        _h.Heartbeat("a", a, 2);
        _h.Heartbeat("b", b, 2);
        // Both sessions now end after the sync deadline, which comes first.
        Assert.Equal(joinedAt + GroupHarness.RebalanceMs, _h.Coordinator.NextDeadlineMs);

        Assert.Equal([2], _h.Sync("b", b, 2).Assignment);
        Assert.Equal(_h.NowMs + GroupHarness.SessionMs, _h.Coordinator.NextDeadlineMs);
    }
}
