using AkkaStream.Broker.Groups;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>
/// A member's client id and host: taken from the JoinGroup that made the member, answered in
/// DescribeGroups whatever the group's state, persisted with the membership and recovered from it.
/// </summary>
public sealed class GroupMemberClientTests
{
    private readonly GroupHarness _h = new();

    private JoinGroupResponse JoinFrom(string who, string memberId, string clientId, string host)
    {
        _h.Send(who, c => c.Join(GroupHarness.JoinRequest(memberId) with { ClientId = clientId, ClientHost = host }, who));
        return _h.Reply<JoinGroupResponse>(who);
    }

    [Fact]
    public void Describe_names_each_members_client_id_and_host_while_rebalancing_and_when_stable()
    {
        var a = JoinFrom("a", "", "billing-1", "/10.0.0.1");
        _h.Send("b", c => c.Join(GroupHarness.JoinRequest("") with { ClientId = "billing-2", ClientHost = "/10.0.0.2" }, "b"));
        var rebalancing = _h.Coordinator.Describe();
        Assert.Equal("PreparingRebalance", rebalancing.State);
        Assert.Equal([("billing-1", "/10.0.0.1"), ("billing-2", "/10.0.0.2")], rebalancing.Members.Select(m => (m.ClientId, m.ClientHost)));

        // The leader's rejoin from elsewhere does not change what it joined as.
        var a2 = JoinFrom("a", a.MemberId, "renamed", "/10.9.9.9");
        var b = _h.Reply<JoinGroupResponse>("b");
        _h.Sync("a", a2.MemberId, 2, [new GroupAssignment(a.MemberId, [1]), new GroupAssignment(b.MemberId, [2])]);
        var stable = _h.Coordinator.Describe();
        Assert.Equal("Stable", stable.State);
        Assert.Equal([(a.MemberId, "billing-1", "/10.0.0.1"), (b.MemberId, "billing-2", "/10.0.0.2")],
            stable.Members.Select(m => (m.MemberId, m.ClientId, m.ClientHost)));
    }

    [Fact]
    public void The_persisted_membership_keeps_each_members_client_and_a_recovered_coordinator_describes_it()
    {
        var a = JoinFrom("a", "", "billing-1", "/10.0.0.1");
        _h.Sync("a", a.MemberId, 1, [new GroupAssignment(a.MemberId, [1])]);
        var stored = _h.Coordinator.LastStored!;
        Assert.Equal(("billing-1", "/10.0.0.1"), (stored.Members[0].ClientId, stored.Members[0].ClientHost));

        var recovered = new GroupHarness();
        recovered.Coordinator.Apply(stored);
        recovered.Coordinator.RecoveryCompleted();
        var member = Assert.Single(recovered.Coordinator.Describe().Members);
        Assert.Equal((a.MemberId, "billing-1", "/10.0.0.1"), (member.MemberId, member.ClientId, member.ClientHost));
    }
}
