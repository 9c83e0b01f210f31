using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// OffsetCommit (8): a group member commits consumed offsets. v1 adds group membership and a
/// per-partition commit timestamp (v1 only), v2-v4 a retention time, v6 the leader epoch, v7 the
/// group instance id; flexible from v8. v9 switches to topic ids, so the range stops at v8.
/// </summary>
public static class OffsetCommitApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.OffsetCommit, "0-8", FlexibleFrom: 8,
        Request: Struct("OffsetCommitRequest",
            String("GroupId", "0+"),
            Int32("GenerationIdOrMemberEpoch", "1+", @default: -1),
            String("MemberId", "1+"),
            String("GroupInstanceId", "7+", nullable: "7+", @default: null),
            Int64("RetentionTimeMs", "2-4", @default: -1),
            Array("Topics", "0+", Struct("OffsetCommitRequestTopic",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("OffsetCommitRequestPartition",
                    Int32("PartitionIndex", "0+"),
                    Int64("CommittedOffset", "0+"),
                    Int32("CommittedLeaderEpoch", "6+", @default: -1),
                    Int64("CommitTimestamp", "1", @default: -1),
                    String("CommittedMetadata", "0+", nullable: "0+")))))),
        Response: Struct("OffsetCommitResponse",
            Int32("ThrottleTimeMs", "3+"),
            Array("Topics", "0+", Struct("OffsetCommitResponseTopic",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("OffsetCommitResponsePartition",
                    Int32("PartitionIndex", "0+"),
                    Int16("ErrorCode", "0+")))))));
}
