using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Admin;

// Consumer-group administration (Kafka's kafka-consumer-groups and the Admin client's group calls).
// Every group request may go to any broker's gateway: the cluster routes it to the group's coordinator.
public sealed partial class AkkaStreamAdmin
{
    /// <summary>The states in which a group has no members, so that its offsets may be reset.</summary>
    private static readonly string[] InactiveStates = ["Empty", "Dead"];

    /// <summary>Every group in the cluster, with its protocol type and state, ordered by id.</summary>
    public async Task<IReadOnlyList<ListedGroup>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        (await _requests.AskAnyAsync<ListGroupsResponse>(ListGroupsRequest.Instance, cancellationToken).ConfigureAwait(false))
            .Groups.OrderBy(g => g.GroupId, StringComparer.Ordinal).ToArray();

    /// <summary>The group's state and members as its coordinator sees them (state "Dead" for a group that does not exist).</summary>
    public Task<DescribeGroupResponse> DescribeGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<DescribeGroupResponse>(new DescribeGroupRequest(groupId), cancellationToken);

    /// <summary>Deletes an empty group and its committed offsets (<c>NonEmptyGroup</c> while it has members, <c>GroupIdNotFound</c> when there is none).</summary>
    public Task<DeleteGroupResponse> DeleteGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<DeleteGroupResponse>(new DeleteGroupRequest(groupId), cancellationToken);

    /// <summary>Every offset the group has committed.</summary>
    public async Task<IReadOnlyList<CommittedOffset>> ListGroupOffsetsAsync(string groupId, CancellationToken cancellationToken = default) =>
        (await _requests.AskAnyAsync<OffsetFetchResponse>(new OffsetFetchRequest(groupId, null), cancellationToken).ConfigureAwait(false))
            .Partitions.Where(p => p.Offset >= 0).ToArray();

    /// <summary>
    /// The group with its members' assigned partitions, and for every partition it is assigned or
    /// has committed: the committed offset, the log end offset and the lag.
    /// </summary>
    public async Task<ConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        var group = await DescribeGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        var committed = OffsetResetPlan.Committed(await ListGroupOffsetsAsync(groupId, cancellationToken).ConfigureAwait(false));
        var members = group.Members.Select(m => new GroupMemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
            GroupAssignments.Partitions(group.ProtocolType, m.Assignment))).ToArray();
        var owners = new Dictionary<TopicPartition, string>();
        foreach (var member in members)
        {
            foreach (var tp in member.Assigned) owners[tp] = member.MemberId;
        }
        var partitions = owners.Keys.Union(committed.Keys).Order().ToArray();
        var ends = await _requests.OffsetsForAsync(partitions, ListOffsetsRequest.Latest, cancellationToken).ConfigureAwait(false);
        var lags = partitions.Select(tp =>
        {
            long? offset = committed.TryGetValue(tp, out var c) ? c : null;
            var end = ends[tp];
            return new GroupPartitionLag(tp, owners.GetValueOrDefault(tp), offset, end, offset is { } o ? Math.Max(0, end - o) : null);
        }).ToArray();
        return new ConsumerGroupDescription(group.GroupId, group.State, group.ProtocolType, group.ProtocolName, members, lags);
    }

    /// <summary>
    /// Moves the group's committed offsets of <paramref name="partitions"/> to <paramref name="target"/>
    /// and returns the plan; with <paramref name="dryRun"/> only the plan. Only an inactive group (no
    /// members) may be reset, as with Kafka's tool; a member joining meanwhile makes the coordinator
    /// refuse the commit.
    /// </summary>
    public async Task<IReadOnlyList<PlannedOffset>> ResetGroupOffsetsAsync(
        string groupId, IReadOnlyList<TopicPartition> partitions, OffsetResetTarget target, bool dryRun, CancellationToken cancellationToken = default)
    {
        var group = await DescribeGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (!InactiveStates.Contains(group.State))
        {
            throw new AkkaStreamException(ErrorCode.NonEmptyGroup,
                $"the offsets of group '{groupId}' can only be reset while it has no members; it is {group.State} with {group.Members.Count} member(s)");
        }
        var committed = OffsetResetPlan.Committed(await ListGroupOffsetsAsync(groupId, cancellationToken).ConfigureAwait(false));
        var starts = await _requests.OffsetsForAsync(partitions, ListOffsetsRequest.Earliest, cancellationToken).ConfigureAwait(false);
        var ends = await _requests.OffsetsForAsync(partitions, ListOffsetsRequest.Latest, cancellationToken).ConfigureAwait(false);
        var forTime = target is OffsetResetTarget.ToTimestamp at
            ? await _requests.OffsetsForAsync(partitions, at.TimestampMs, cancellationToken).ConfigureAwait(false)
            : null;
        var plan = partitions.Select(tp =>
        {
            long? current = committed.TryGetValue(tp, out var c) ? c : null;
            var state = new OffsetResetPlan.PartitionState(current, starts[tp], ends[tp], forTime?[tp] ?? -1);
            return new PlannedOffset(tp, current, OffsetResetPlan.NewOffset(target, state));
        }).ToArray();
        if (!dryRun && plan.Length > 0)
        {
            // A standalone commit (no generation, no member), as a consumer that assigns its own partitions makes.
            var commit = new OffsetCommitRequest(groupId, -1, "", null,
                plan.Select(p => new OffsetCommitPartition(p.Partition.Topic, p.Partition.Partition, p.NewOffset, -1, null)).ToArray());
            var reply = await _requests.AskAnyAsync<OffsetCommitResponse>(commit, cancellationToken).ConfigureAwait(false);
            if (reply.Partitions.FirstOrDefault(p => p.Error != ErrorCode.None) is { } failed)
            {
                throw new AkkaStreamException(failed.Error, $"committing {failed.Topic}-{failed.Partition} for group '{groupId}' failed: {failed.Error}");
            }
        }
        return plan;
    }

    /// <summary>Every partition of the named topics, in order.</summary>
    public async Task<IReadOnlyList<TopicPartition>> PartitionsOfAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default) =>
        (await DescribeTopicsAsync(topics, cancellationToken).ConfigureAwait(false))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Name, p.Partition)))
            .Order().ToArray();
}
