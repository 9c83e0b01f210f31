using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

// What a group entity writes to the cluster journal (persistence id group-<groupId>), in the
// spirit of Kafka's __consumer_offsets: the group's metadata when a generation's assignment is
// complete and when the group becomes empty, each commit, each removal of offsets, the deletion.
// Serialized by GroupEventSerializer, a versioned format of our own.

/// <summary>An event or snapshot of a group entity; serialized by <see cref="GroupEventSerializer"/>.</summary>
public interface IGroupEvent;

/// <summary>
/// A member as persisted: its chosen protocol's metadata, its assignment, and the client it runs in
/// (empty in events written before the client was kept: format version 1).
/// </summary>
public sealed record StoredMember(string MemberId, string? GroupInstanceId, int SessionTimeoutMs, int RebalanceTimeoutMs, byte[] Metadata, byte[] Assignment,
    string ClientId = "", string ClientHost = "");

/// <summary>
/// The group's membership as of a completed generation, or the group having become empty
/// (no members). <see cref="StateTimestampMs"/> is when the group entered that state; offsets
/// retention of an empty group counts from it.
/// </summary>
public sealed record GroupMetadataStored(
    string? ProtocolType,
    string? ProtocolName,
    int Generation,
    string? Leader,
    long StateTimestampMs,
    IReadOnlyList<StoredMember> Members) : IGroupEvent;

/// <summary>A committed offset; <see cref="LeaderEpoch"/> is -1 when unknown.</summary>
public sealed record StoredOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);

/// <summary>One OffsetCommit request's accepted partitions.</summary>
public sealed record OffsetsCommitted(IReadOnlyList<StoredOffset> Offsets) : IGroupEvent;

/// <summary>Offsets expired by retention or whose topic was deleted.</summary>
public sealed record OffsetsRemoved(IReadOnlyList<TopicPartitionRef> Partitions) : IGroupEvent;

/// <summary>The group was deleted (DeleteGroups) or expired with no members and no offsets left.</summary>
public sealed record GroupDeleted(long TimestampMs) : IGroupEvent;

/// <summary>The whole state, saved every snapshot-every events; <see cref="Metadata"/> is null for a group that never had members.</summary>
public sealed record GroupSnapshot(bool Dead, GroupMetadataStored? Metadata, IReadOnlyList<StoredOffset> Offsets) : IGroupEvent;
