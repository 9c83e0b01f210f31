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
        var stored = Assert.IsType<GroupMetadataStored>(Assert.Single(_h.Events));
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
