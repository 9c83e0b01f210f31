using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

// Consumer-group requests, shaped after Kafka's group APIs so the Kafka listener maps onto them one
// to one. Every request names its group; the gateway routes it to that group's coordinator entity.

/// <summary>A request the group coordinator of <see cref="GroupId"/> answers.</summary>
public interface IGroupRequest : IControlMessage
{
    string GroupId { get; }
}

/// <summary>One assignment protocol a member supports (e.g. "range"), with its subscription bytes.</summary>
public sealed record GroupProtocol(string Name, byte[] Metadata);

/// <summary>
/// Kafka's JoinGroup. <see cref="MemberId"/> is empty on a first join; when
/// <see cref="RequireKnownMemberId"/> is set (Kafka v4+), such a join gets MemberIdRequired with a
/// fresh id, and the member joins again with it. <see cref="GroupInstanceId"/> makes it a static member.
/// <see cref="ClientId"/> and <see cref="ClientHost"/> say who the member is, as DescribeGroups
/// answers them: the client's configured id, and the address it connects from (Kafka prints an
/// IP address as <c>/127.0.0.1</c>); empty when unknown.
/// </summary>
public sealed record JoinGroupRequest(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    bool RequireKnownMemberId,
    string ClientId = "",
    string ClientHost = "") : IGroupRequest;

/// <summary>A member of a generation as the leader sees it: its id and its chosen protocol's metadata.</summary>
public sealed record JoinGroupMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>Kafka's JoinGroup reply; only the leader gets <see cref="Members"/>, the others an empty list.</summary>
public sealed record JoinGroupResponse(
    ErrorCode Error,
    string? ErrorMessage,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string Leader,
    string MemberId,
    IReadOnlyList<JoinGroupMember> Members) : IControlMessage, IErrorReply;

/// <summary>One member's assignment bytes, as the leader computed them.</summary>
public sealed record GroupAssignment(string MemberId, byte[] Assignment);

/// <summary>Kafka's SyncGroup: the leader sends every member's assignment, followers send none.</summary>
public sealed record SyncGroupRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyList<GroupAssignment> Assignments) : IGroupRequest;

/// <summary>The member's own assignment for the generation.</summary>
public sealed record SyncGroupResponse(ErrorCode Error, string? ErrorMessage, string? ProtocolType, string? ProtocolName, byte[] Assignment)
    : IControlMessage, IErrorReply;

/// <summary>Kafka's Heartbeat: keeps the member's session alive and tells it when to rejoin.</summary>
public sealed record HeartbeatRequest(string GroupId, int GenerationId, string MemberId, string? GroupInstanceId) : IGroupRequest;

public sealed record HeartbeatResponse(ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;

/// <summary>A member leaving, named by member id or (for a static member) by instance id.</summary>
public sealed record LeavingMember(string MemberId, string? GroupInstanceId);

/// <summary>Kafka's LeaveGroup (v3+ form: several members at once).</summary>
public sealed record LeaveGroupRequest(string GroupId, IReadOnlyList<LeavingMember> Members) : IGroupRequest;

public sealed record LeftMember(string MemberId, string? GroupInstanceId, ErrorCode Error);

public sealed record LeaveGroupResponse(ErrorCode Error, string? ErrorMessage, IReadOnlyList<LeftMember> Members) : IControlMessage, IErrorReply;

/// <summary>One partition's offset to commit; <see cref="LeaderEpoch"/> is -1 when unknown.</summary>
public sealed record OffsetCommitPartition(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);

/// <summary>
/// Kafka's OffsetCommit. A standalone commit (a consumer that assigns partitions itself) sends
/// generation -1 and an empty member id; the group then must have no members.
/// </summary>
public sealed record OffsetCommitRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    IReadOnlyList<OffsetCommitPartition> Partitions) : IGroupRequest;

public sealed record OffsetCommitPartitionResult(string Topic, int Partition, ErrorCode Error);

public sealed record OffsetCommitResponse(ErrorCode Error, string? ErrorMessage, IReadOnlyList<OffsetCommitPartitionResult> Partitions)
    : IControlMessage, IErrorReply;

public sealed record TopicPartitionRef(string Topic, int Partition);

/// <summary>Kafka's OffsetFetch; null <see cref="Partitions"/> asks for every committed offset of the group.</summary>
public sealed record OffsetFetchRequest(string GroupId, IReadOnlyList<TopicPartitionRef>? Partitions) : IGroupRequest;

/// <summary>A committed offset: -1 with no metadata when nothing was committed for the partition.</summary>
public sealed record CommittedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs, ErrorCode Error);

public sealed record OffsetFetchResponse(ErrorCode Error, string? ErrorMessage, IReadOnlyList<CommittedOffset> Partitions)
    : IControlMessage, IErrorReply;

/// <summary>Kafka's ListGroups, answered by any broker's gateway for the whole cluster.</summary>
public sealed record ListGroupsRequest : IControlMessage
{
    public static readonly ListGroupsRequest Instance = new();
}

public sealed record ListedGroup(string GroupId, string ProtocolType, string State);

public sealed record ListGroupsResponse(ErrorCode Error, string? ErrorMessage, IReadOnlyList<ListedGroup> Groups) : IControlMessage, IErrorReply;

/// <summary>Kafka's DescribeGroups for one group (the listener fans a multi-group request out).</summary>
public sealed record DescribeGroupRequest(string GroupId) : IGroupRequest;

/// <summary>A member as DescribeGroups shows it: its ids, the client it runs in (as it joined), its metadata and assignment.</summary>
public sealed record DescribedMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

public sealed record DescribeGroupResponse(
    string GroupId,
    ErrorCode Error,
    string? ErrorMessage,
    string State,
    string ProtocolType,
    string ProtocolName,
    IReadOnlyList<DescribedMember> Members) : IControlMessage, IErrorReply;

/// <summary>Kafka's DeleteGroups for one group: only an empty group can be deleted (NonEmptyGroup otherwise).</summary>
public sealed record DeleteGroupRequest(string GroupId) : IGroupRequest;

public sealed record DeleteGroupResponse(string GroupId, ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;

/// <summary>
/// Which broker hosts the coordinator of <see cref="GroupId"/>. The request travels to the group's
/// entity like every other group request (starting it if needed), and the entity names its own broker,
/// so the answer is where the group lives now.
/// </summary>
public sealed record FindCoordinatorRequest(string GroupId) : IGroupRequest;

public sealed record FindCoordinatorResponse(string GroupId, ErrorCode Error, string? ErrorMessage, int BrokerId) : IControlMessage, IErrorReply;
