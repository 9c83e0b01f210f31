using Akka.Event;
using AkkaStream.Client.Groups.Assignors;
using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Client.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Groups;

/// <summary>What the group's leader does between JoinGroup and SyncGroup: run the group's assignor over every member's subscription.</summary>
internal static class LeaderAssignment
{
    /// <summary>
    /// Every member's encoded assignment. A member whose subscription cannot be read is assigned
    /// nothing (and said so in the log) rather than failing the whole group's rebalance.
    /// </summary>
    public static IReadOnlyList<GroupAssignment> Compute(
        IPartitionAssignor assignor, IReadOnlyList<JoinGroupMember> members, ClusterSnapshot? snapshot, ILoggingAdapter log)
    {
        var assignorMembers = new List<AssignorMember>(members.Count);
        foreach (var member in members)
        {
            ConsumerProtocolSubscription subscription;
            try
            {
                subscription = ConsumerProtocolSubscription.Decode(member.Metadata);
            }
            catch (AkkaStreamException e)
            {
                log.Warning("member {0} of the group sent a subscription that cannot be read; it gets no partitions: {1}", member.MemberId, e.Message);
                subscription = new ConsumerProtocolSubscription([]);
            }
            assignorMembers.Add(new AssignorMember(member.MemberId, member.GroupInstanceId, subscription));
        }
        var topics = assignorMembers.SelectMany(m => m.Subscription.Topics).Distinct(StringComparer.Ordinal);
        var assignment = assignor.Assign(GroupSubscription.PartitionCounts(topics, snapshot), assignorMembers);
        return assignorMembers
            .Select(m => new GroupAssignment(m.MemberId, new ConsumerProtocolAssignment(assignment.GetValueOrDefault(m.MemberId) ?? []).Encode()))
            .ToList();
    }
}
