using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Admin;

/// <summary>
/// A member of a group, the client it runs in (its client id and host, as it joined) and the
/// partitions its current assignment gives it (empty when the group's protocol is not Kafka's consumer protocol).
/// </summary>
public sealed record GroupMemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, IReadOnlyList<TopicPartition> Assigned);

/// <summary>
/// One partition a group consumes or has committed: who is assigned it (null: nobody), the group's
/// committed offset (null: none), the log end offset (the high watermark consumers read up to) and
/// the lag between them (null without a committed offset).
/// </summary>
public sealed record GroupPartitionLag(TopicPartition Partition, string? MemberId, long? CommittedOffset, long LogEndOffset, long? Lag);

/// <summary>What <c>groups describe</c> shows: the group's state and members, and per partition its committed offset and lag.</summary>
public sealed record ConsumerGroupDescription(
    string GroupId,
    string State,
    string ProtocolType,
    string ProtocolName,
    IReadOnlyList<GroupMemberDescription> Members,
    IReadOnlyList<GroupPartitionLag> Partitions);
