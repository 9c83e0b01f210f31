using System.Text;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Groups;

/// <summary>What an OffsetCommit comes to: the answer, and the offsets to persist before it is sent (null when none were accepted).</summary>
public sealed record CommitDecision(OffsetsCommitted? ToPersist, OffsetCommitResponse Reply);

// Committed offsets: commits by members and standalone commits, fetches, retention and deletion.
public sealed partial class GroupCoordinator
{
    /// <summary>
    /// Checks an OffsetCommit as Kafka does. A member's commit must name the current generation
    /// (and counts as a sign of life); a standalone commit (generation -1, no member id) is taken only
    /// while the group has no members. Each partition is then checked alone: metadata over
    /// offset-metadata-max-bytes is OffsetMetadataTooLarge, a partition <paramref name="partitionExists"/>
    /// does not know is UnknownTopicOrPartition. The accepted offsets are applied by
    /// <see cref="Apply(IGroupEvent)"/> once persisted.
    /// </summary>
    public CommitDecision Commit(OffsetCommitRequest r, Func<string, int, bool> partitionExists)
    {
        if (CommitRefusal(r) is { } refusal) return new CommitDecision(null, GroupReplies.CommitFailed(r, refusal.Error, refusal.Message));
        var now = Now;
        var accepted = new List<StoredOffset>(r.Partitions.Count);
        var results = new List<OffsetCommitPartitionResult>(r.Partitions.Count);
        foreach (var p in r.Partitions)
        {
            var error = ErrorCode.None;
            if (p.Metadata is { } metadata && Encoding.UTF8.GetByteCount(metadata) > _settings.OffsetMetadataMaxBytes) error = ErrorCode.OffsetMetadataTooLarge;
            else if (!partitionExists(p.Topic, p.Partition)) error = ErrorCode.UnknownTopicOrPartition;
            else accepted.Add(new StoredOffset(p.Topic, p.Partition, p.Offset, p.LeaderEpoch, p.Metadata, now));
            results.Add(new OffsetCommitPartitionResult(p.Topic, p.Partition, error));
        }
        if (Group.Phase == GroupPhase.Dead && accepted.Count > 0) Group.Clear(GroupPhase.Empty, now); // a deleted group's id starts a new group
        return new CommitDecision(accepted.Count > 0 ? new OffsetsCommitted(accepted) : null, new OffsetCommitResponse(ErrorCode.None, null, results));
    }

    /// <summary>The committed offsets of the listed partitions (-1 where none), or of every partition when the list is null.</summary>
    public OffsetFetchResponse Fetch(OffsetFetchRequest r)
    {
        if (r.GroupId.Length == 0) return new OffsetFetchResponse(ErrorCode.InvalidGroupId, "the group id must not be empty", []);
        var result = new List<CommittedOffset>();
        if (r.Partitions is null)
        {
            foreach (var o in Offsets.All) result.Add(ToCommitted(o));
            result.Sort((a, b) => a.Topic != b.Topic ? string.CompareOrdinal(a.Topic, b.Topic) : a.Partition.CompareTo(b.Partition));
        }
        else
        {
            foreach (var p in r.Partitions)
            {
                result.Add(Offsets.Get(p.Topic, p.Partition) is { } o ? ToCommitted(o) : new CommittedOffset(p.Topic, p.Partition, -1, -1, null, -1, ErrorCode.None));
            }
        }
        return new OffsetFetchResponse(ErrorCode.None, null, result);
    }

    /// <summary>
    /// Removes the offsets of deleted topics (when <paramref name="topicExists"/> is given: the
    /// broker knows its metadata), and, while the group has no members, the expired ones (Kafka's
    /// cleanupGroupMetadata): a group that had members expires them offsets-retention after it
    /// became empty, a group that only commits offsets-retention after each one's commit. A known
    /// group left with no members and no offsets dies. Returns whether it died.
    /// </summary>
    public bool ExpireOffsets(Func<string, bool>? topicExists)
    {
        if (Group.Phase == GroupPhase.Dead) return false;
        var now = Now;
        var retention = (long)_settings.OffsetsRetention.TotalMilliseconds;
        var empty = Group.Phase == GroupPhase.Empty;
        var standalone = Group.ProtocolType is null;
        var wasKnown = IsKnown;
        var removed = Offsets.Where(o =>
            (topicExists is not null && !topicExists(o.Topic))
            || (empty && (standalone ? o.CommitTimestampMs : Group.PhaseSinceMs) + retention <= now));
        if (removed.Count > 0)
        {
            var e = new OffsetsRemoved(removed);
            Offsets.Apply(e);
            Persist(e);
        }
        if (!wasKnown || !empty || Offsets.Count > 0 || Group.PendingMembers.Count > 0) return false;
        Persist(new GroupDeleted(now));
        Group.Clear(GroupPhase.Dead, now);
        return true;
    }

    /// <summary>Kafka's DeleteGroups for this group: only an empty group goes; its offsets go with it.</summary>
    public void Delete(object replyTo)
    {
        if (!IsKnown)
        {
            Reply(replyTo, new DeleteGroupResponse(GroupId, ErrorCode.GroupIdNotFound, $"group {GroupId} does not exist"));
            return;
        }
        if (Group.Phase != GroupPhase.Empty)
        {
            Reply(replyTo, new DeleteGroupResponse(GroupId, ErrorCode.NonEmptyGroup, $"group {GroupId} has members ({Group.Phase})"));
            return;
        }
        var now = Now;
        Offsets.Clear();
        Group.Clear(GroupPhase.Dead, now);
        Persist(new GroupDeleted(now));
        Reply(replyTo, new DeleteGroupResponse(GroupId, ErrorCode.None, null));
    }

    private (ErrorCode Error, string Message)? CommitRefusal(OffsetCommitRequest r)
    {
        if (r.GroupId.Length == 0) return (ErrorCode.InvalidGroupId, "the group id must not be empty");
        if (Group.IsStaticMemberFenced(r.GroupInstanceId, r.MemberId)) return (ErrorCode.FencedInstanceId, $"instance {r.GroupInstanceId} now has another member id");
        var standalone = r.GenerationId < 0 && r.MemberId.Length == 0 && r.GroupInstanceId is null;
        if (standalone)
        {
            return Group.IsEmpty ? null : (ErrorCode.UnknownMemberId, $"group {GroupId} has members: a commit must name one of them");
        }
        if (!Group.Has(r.MemberId)) return (ErrorCode.UnknownMemberId, $"{r.MemberId} is not a member of group {GroupId}");
        if (r.GenerationId != Group.Generation) return (ErrorCode.IllegalGeneration, $"generation {r.GenerationId} is not the group's current {Group.Generation}");
        if (Group.Phase == GroupPhase.CompletingRebalance) return (ErrorCode.RebalanceInProgress, "the group is completing a rebalance");
        Group.Get(r.MemberId).LastSeenMs = Now;
        return null;
    }

    private static CommittedOffset ToCommitted(StoredOffset o) => new(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata, o.CommitTimestampMs, ErrorCode.None);
}
