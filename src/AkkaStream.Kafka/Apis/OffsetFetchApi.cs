using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// OffsetFetch (9): a group's committed offsets. From v2 a null topic list means "all topics" and
/// the response has a top-level error; v5 adds the leader epoch; flexible from v6; v7 adds
/// require-stable. v8 batches groups, so the range stops at v7.
/// </summary>
public static class OffsetFetchApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.OffsetFetch, "0-7", FlexibleFrom: 6,
        Request: Struct("OffsetFetchRequest",
            String("GroupId", "0-7"),
            Array("Topics", "0-7", nullable: "2-7", element: Struct("OffsetFetchRequestTopic",
                String("Name", "0-7"),
                Array("PartitionIndexes", "0-7", FieldType.Int32))),
            Boolean("RequireStable", "7+")),
        Response: Struct("OffsetFetchResponse",
            Int32("ThrottleTimeMs", "3+"),
            Array("Topics", "0-7", Struct("OffsetFetchResponseTopic",
                String("Name", "0-7"),
                Array("Partitions", "0-7", Struct("OffsetFetchResponsePartition",
                    Int32("PartitionIndex", "0-7"),
                    Int64("CommittedOffset", "0-7"),
                    Int32("CommittedLeaderEpoch", "5-7", @default: -1),
                    String("Metadata", "0-7", nullable: "0-7"),
                    Int16("ErrorCode", "0-7"))))),
            Int16("ErrorCode", "2-7")));
}
