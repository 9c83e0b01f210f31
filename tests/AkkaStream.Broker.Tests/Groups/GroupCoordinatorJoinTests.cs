using AkkaStream.Broker.Groups;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>The membership protocol of <see cref="GroupCoordinator"/> alone, on a fake clock.</summary>
public sealed class GroupCoordinatorJoinTests
{
    private readonly GroupHarness _h = new();

    [Fact]
    public void One_member_joins_leads_and_syncs_its_own_assignment()
    {
        var joined = _h.JoinNew("a");
        Assert.Equal(ErrorCode.None, joined.Error);
        Assert.Equal((1, "range", joined.MemberId), (joined.GenerationId, joined.ProtocolName, joined.Leader));
        Assert.Equal(GroupPhase.CompletingRebalance, _h.Coordinator.Group.Phase);

        var synced = _h.Sync("a", joined.MemberId, 1, [new GroupAssignment(joined.MemberId, [7])]);
        Assert.Equal(ErrorCode.None, synced.Error);
        Assert.Equal([7], synced.Assignment);
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);
        // The group's creation (so that ListGroups finds it in the journal), then its first generation.
        Assert.Equal(2, _h.Events.Count);
        var created = Assert.IsType<GroupMetadataStored>(_h.Events[0]);
        Assert.Equal(("consumer", 0), (created.ProtocolType, created.Generation));
        Assert.Empty(created.Members);
        var stored = Assert.IsType<GroupMetadataStored>(_h.Events[1]);
        Assert.Equal((1, joined.MemberId), (stored.Generation, stored.Leader));
        Assert.Equal([7], Assert.Single(stored.Members).Assignment);
    }

    [Fact]
    public void The_member_id_required_round_trip_gives_an_id_that_then_joins()
    {
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("", requireKnownMemberId: true), "a"));
        var required = _h.Reply<JoinGroupResponse>("a");
        Assert.Equal(ErrorCode.MemberIdRequired, required.Error);
        Assert.NotEmpty(required.MemberId);
        Assert.Equal(0, _h.Coordinator.Group.Count);

        var joined = _h.Join("a", required.MemberId);
        Assert.Equal((ErrorCode.None, required.MemberId, 1), (joined.Error, joined.MemberId, joined.GenerationId));
    }

    [Fact]
    public void A_pending_member_that_never_joins_is_forgotten_after_its_session_timeout()
    {
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("", requireKnownMemberId: true), "a"));
        var required = _h.Reply<JoinGroupResponse>("a");
        _h.Advance(GroupHarness.SessionMs + 1);
        var late = _h.Join("a", required.MemberId);
        Assert.Equal(ErrorCode.UnknownMemberId, late.Error);
    }
}

/// <summary>Several members: generations, the leader's view, protocol selection and what starts a rebalance.</summary>
public sealed class GroupCoordinatorRebalanceTests
{
    private readonly GroupHarness _h = new();

    private static GroupProtocol P(string name) => new(name, [(byte)name.Length]);

    [Fact]
    public void Two_members_join_the_leader_alone_sees_both_and_the_follower_waits_for_its_sync()
    {
        var (a, b) = _h.TwoStableMembers();
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);
        Assert.Equal(a, _h.Coordinator.Group.Leader);
        Assert.Equal(2, _h.Coordinator.LastStored!.Members.Count);
        Assert.Equal(ErrorCode.None, _h.Heartbeat("b", b, 2).Error);
    }

    [Fact]
    public void Three_members_starting_together_land_in_one_generation_after_the_initial_delay()
    {
        var h = new GroupHarness(new GroupSettings { MinSessionTimeout = TimeSpan.FromSeconds(1), InitialRebalanceDelay = TimeSpan.FromSeconds(3) });
        h.Send("a", c => c.Join(GroupHarness.JoinRequest(""), "a"));
        h.Advance(2_000);
        h.Send("b", c => c.Join(GroupHarness.JoinRequest(""), "b"));
        h.Advance(1_500); // the delay passed, but b arrived during it: wait once more
        Assert.False(h.HasReply("a"));
        h.Send("c", c => c.Join(GroupHarness.JoinRequest(""), "c"));
        h.Advance(3_000); // c arrived too: once more
        Assert.False(h.HasReply("a"));
        h.Advance(3_000);
        var replies = new[] { h.Reply<JoinGroupResponse>("a"), h.Reply<JoinGroupResponse>("b"), h.Reply<JoinGroupResponse>("c") };
        Assert.All(replies, r => Assert.Equal((ErrorCode.None, 1), (r.Error, r.GenerationId)));
        Assert.Equal(3, replies.Single(r => r.MemberId == r.Leader).Members.Count);
        Assert.Equal(2, replies.Count(r => r.Members.Count == 0));
    }

    [Fact]
    public void The_initial_delay_never_outlasts_the_rebalance_timeout()
    {
        var h = new GroupHarness(new GroupSettings { MinSessionTimeout = TimeSpan.FromSeconds(1), InitialRebalanceDelay = TimeSpan.FromSeconds(20) });
        h.Send("a", c => c.Join(GroupHarness.JoinRequest(""), "a"));
        h.Advance(19_000);
        h.Send("b", c => c.Join(GroupHarness.JoinRequest(""), "b"));
        h.Advance(1_000); // 20 s: b arrived, so wait the remaining 10 s of the 30 s rebalance timeout
        Assert.False(h.HasReply("a"));
        h.Advance(10_000);
        Assert.Equal(1, h.Reply<JoinGroupResponse>("a").GenerationId);
    }

    [Fact]
    public void The_protocol_every_member_supports_and_most_prefer_is_selected()
    {
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("", protocols: [P("range"), P("roundrobin"), P("sticky")]), "a"));
        var a = _h.Reply<JoinGroupResponse>("a");
        Assert.Equal("range", a.ProtocolName);
        _h.Send("b", c => c.Join(GroupHarness.JoinRequest("", protocols: [P("roundrobin"), P("range")]), "b"));
        _h.Send("c", c => c.Join(GroupHarness.JoinRequest("", protocols: [P("roundrobin"), P("range")]), "c"));
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest(a.MemberId, protocols: [P("range"), P("roundrobin"), P("sticky")]), "a"));
        var leader = _h.Reply<JoinGroupResponse>("a");
        Assert.Equal(("roundrobin", 2), (leader.ProtocolName, leader.GenerationId));
        // The leader sees each member's metadata for the selected protocol.
        Assert.All(leader.Members, m => Assert.Equal([(byte)"roundrobin".Length], m.Metadata));
        Assert.Equal("roundrobin", _h.Reply<JoinGroupResponse>("b").ProtocolName);
    }

    [Fact]
    public void A_member_with_no_protocol_in_common_or_another_protocol_type_is_refused()
    {
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("", protocols: [P("range"), P("roundrobin")]), "a"));
        _h.Send("x", c => c.Join(GroupHarness.JoinRequest("", protocols: [P("sticky")]), "x"));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, _h.Reply<JoinGroupResponse>("x").Error);
        _h.Send("y", c => c.Join(GroupHarness.JoinRequest("") with { ProtocolType = "connect" }, "y"));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, _h.Reply<JoinGroupResponse>("y").Error);
        _h.Send("z", c => c.Join(GroupHarness.JoinRequest("") with { Protocols = [] }, "z"));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, _h.Reply<JoinGroupResponse>("z").Error);
        Assert.Equal(1, _h.Coordinator.Group.Count);
    }

    [Fact]
    public void A_new_member_makes_the_others_rejoin_through_their_heartbeat()
    {
        var (a, b) = _h.TwoStableMembers();
        _h.Send("c", c => c.Join(GroupHarness.JoinRequest(""), "c"));
        Assert.Equal(GroupPhase.PreparingRebalance, _h.Coordinator.Group.Phase);
        Assert.Equal(ErrorCode.RebalanceInProgress, _h.Heartbeat("a", a, 2).Error);
        Assert.Equal(ErrorCode.RebalanceInProgress, _h.Sync("b", b, 2).Error);
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest(a), "a"));
        Assert.False(_h.HasReply("a"), "the join completes when b has rejoined too");
        _h.Send("b", c => c.Join(GroupHarness.JoinRequest(b), "b"));
        Assert.Equal(3, _h.Reply<JoinGroupResponse>("a").Members.Count);
        Assert.Equal(3, _h.Reply<JoinGroupResponse>("b").GenerationId);
        Assert.Equal(3, _h.Reply<JoinGroupResponse>("c").GenerationId);
    }

    [Fact]
    public void A_leaving_member_starts_a_rebalance_and_an_unknown_one_is_named_in_the_answer()
    {
        var (a, b) = _h.TwoStableMembers();
        _h.Send("b", c => c.Leave(new LeaveGroupRequest("g", [new LeavingMember(b, null), new LeavingMember("ghost", null)]), "b"));
        var left = _h.Reply<LeaveGroupResponse>("b");
        Assert.Equal([ErrorCode.None, ErrorCode.UnknownMemberId], left.Members.Select(m => m.Error));
        Assert.Equal(ErrorCode.RebalanceInProgress, _h.Heartbeat("a", a, 2).Error);
        var rejoined = _h.Join("a", a);
        Assert.Equal((3, a), (rejoined.GenerationId, rejoined.Leader));
        Assert.Single(rejoined.Members);
    }

    [Fact]
    public void The_last_member_leaving_makes_the_group_empty_and_that_is_persisted()
    {
        var (a, b) = _h.TwoStableMembers();
        _h.Send("a", c => c.Leave(new LeaveGroupRequest("g", [new LeavingMember(a, null), new LeavingMember(b, null)]), "a"));
        Assert.Equal(GroupPhase.Empty, _h.Coordinator.Group.Phase);
        var stored = Assert.IsType<GroupMetadataStored>(_h.Events[^1]);
        Assert.Empty(stored.Members);
        Assert.Equal(3, stored.Generation);
    }

    [Fact]
    public void A_member_whose_session_expires_is_removed_and_the_others_rebalance()
    {
        var (a, b) = _h.TwoStableMembers();
        for (var i = 0; i < 4; i++)
        {
            _h.Advance(3_000);
            _h.Heartbeat("a", a, 2); // a keeps its session; b does not
        }
        Assert.Equal(GroupPhase.PreparingRebalance, _h.Coordinator.Group.Phase);
        Assert.False(_h.Coordinator.Group.Has(b));
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Heartbeat("b", b, 2).Error);
        Assert.Equal(3, _h.Join("a", a).GenerationId);
    }

    [Fact]
    public void Members_that_do_not_rejoin_within_the_rebalance_timeout_are_removed()
    {
        var (a, b) = _h.TwoStableMembers();
        _h.Send("c", c => c.Join(GroupHarness.JoinRequest(""), "c"));
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest(a), "a"));
        for (var elapsed = 0; elapsed < GroupHarness.RebalanceMs; elapsed += 5_000)
        {
            _h.Advance(5_000);
            if (!_h.HasReply("a")) Assert.Equal(ErrorCode.RebalanceInProgress, _h.Heartbeat("b", b, 2).Error); // alive, but never rejoins
        }
        var joined = _h.Reply<JoinGroupResponse>("a");
        Assert.Equal(3, joined.GenerationId);
        Assert.Equal(2, joined.Members.Count);
        Assert.DoesNotContain(joined.Members, m => m.MemberId == b);
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Heartbeat("b", b, 3).Error);
    }

    [Fact]
    public void A_static_member_rejoining_with_a_new_id_replaces_the_old_one_without_a_rebalance()
    {
        var (a, b) = _h.TwoStableMembers(instanceA: "i-a");
        var events = _h.Events.Count;
        var rejoined = _h.JoinNew("a", "i-a");
        Assert.Equal(ErrorCode.None, rejoined.Error);
        Assert.NotEqual(a, rejoined.MemberId);
        Assert.Equal((2, rejoined.MemberId), (rejoined.GenerationId, rejoined.Leader));
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);
        Assert.Equal(ErrorCode.None, _h.Heartbeat("b", b, 2).Error);
        Assert.Contains(rejoined.MemberId, Assert.IsType<GroupMetadataStored>(Assert.Single(_h.Events.Skip(events))).Members.Select(m => m.MemberId));

        Assert.Equal(ErrorCode.FencedInstanceId, _h.Heartbeat("a", a, 2, "i-a").Error);
        Assert.Equal([1], _h.Sync("a", rejoined.MemberId, 2, "i-a").Assignment);

        // Its session still expires.
        for (var i = 0; i < 4; i++)
        {
            _h.Advance(3_000);
            _h.Heartbeat("b", b, 2);
        }
        Assert.False(_h.Coordinator.Group.Has(rejoined.MemberId));
    }

    [Fact]
    public void A_static_member_rejoining_with_other_metadata_for_the_same_protocol_keeps_its_assignment_without_a_rebalance()
    {
        var (_, b) = _h.TwoStableMembers(instanceA: "i-a");
        // A restarted consumer's subscription differs in its bytes (generation, owned partitions), not in its protocol.
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("", "i-a", true, new GroupProtocol("range", [9, 9])), "a"));
        var rejoined = _h.Reply<JoinGroupResponse>("a");
        Assert.Equal((ErrorCode.None, 2, "range"), (rejoined.Error, rejoined.GenerationId, rejoined.ProtocolName));
        Assert.Equal(GroupPhase.Stable, _h.Coordinator.Group.Phase);
        Assert.Equal(ErrorCode.None, _h.Heartbeat("b", b, 2).Error);
        Assert.Equal([1], _h.Sync("a", rejoined.MemberId, 2, "i-a").Assignment);
    }

    [Fact]
    public void Heartbeat_and_sync_answer_unknown_member_and_illegal_generation()
    {
        var (a, _) = _h.TwoStableMembers();
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Heartbeat("x", "nobody", 2).Error);
        Assert.Equal(ErrorCode.IllegalGeneration, _h.Heartbeat("a", a, 1).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Sync("x", "nobody", 2).Error);
        Assert.Equal(ErrorCode.IllegalGeneration, _h.Sync("a", a, 3).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, _h.Join("x", "nobody").Error);
    }

    [Fact]
    public void Session_timeouts_outside_the_bounds_and_an_empty_group_id_are_refused()
    {
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("") with { SessionTimeoutMs = 500 }, "a"));
        Assert.Equal(ErrorCode.InvalidSessionTimeout, _h.Reply<JoinGroupResponse>("a").Error);
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("") with { SessionTimeoutMs = 31 * 60_000 }, "a"));
        Assert.Equal(ErrorCode.InvalidSessionTimeout, _h.Reply<JoinGroupResponse>("a").Error);
        _h.Send("a", c => c.Join(GroupHarness.JoinRequest("") with { GroupId = "" }, "a"));
        Assert.Equal(ErrorCode.InvalidGroupId, _h.Reply<JoinGroupResponse>("a").Error);
        Assert.False(_h.Coordinator.IsKnown);
    }
}
