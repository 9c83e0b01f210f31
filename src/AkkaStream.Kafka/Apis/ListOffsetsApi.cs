using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// ListOffsets (2): the offset for a timestamp (or earliest/latest). v0 returns a list of offsets,
/// v1+ a single offset with its timestamp; v2 adds the isolation level, v4 the leader epoch.
/// Classic up to v5 (flexible from v6).
/// </summary>
public static class ListOffsetsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.ListOffsets, "0-5", FlexibleFrom: 6,
        Request: Struct("ListOffsetsRequest",
            Int32("ReplicaId", "0+"),
            Int8("IsolationLevel", "2+"),
            Array("Topics", "0+", Struct("ListOffsetsTopic",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("ListOffsetsPartition",
                    Int32("PartitionIndex", "0+"),
                    Int32("CurrentLeaderEpoch", "4+", @default: -1),
                    Int64("Timestamp", "0+"),
                    Int32("MaxNumOffsets", "0", @default: 1)))))),
        Response: Struct("ListOffsetsResponse",
            Int32("ThrottleTimeMs", "2+"),
            Array("Topics", "0+", Struct("ListOffsetsTopicResponse",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("ListOffsetsPartitionResponse",
                    Int32("PartitionIndex", "0+"),
                    Int16("ErrorCode", "0+"),
                    Array("OldStyleOffsets", "0", FieldType.Int64),
                    Int64("Timestamp", "1+", @default: -1),
                    Int64("Offset", "1+", @default: -1),
                    Int32("LeaderEpoch", "4+", @default: -1)))))));
}
