using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// OffsetForLeaderEpoch (23): the end offset of a leader epoch, for log truncation after a leader
/// change. v1 returns the epoch, v2 adds the current leader epoch (fencing) and throttle time, v3
/// the replica id. Classic up to v3 (flexible from v4).
/// </summary>
public static class OffsetForLeaderEpochApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.OffsetForLeaderEpoch, "0-3", FlexibleFrom: 4,
        Request: Struct("OffsetForLeaderEpochRequest",
            Int32("ReplicaId", "3+", @default: -2),
            Array("Topics", "0+", Struct("OffsetForLeaderTopic",
                String("Topic", "0+"),
                Array("Partitions", "0+", Struct("OffsetForLeaderPartition",
                    Int32("Partition", "0+"),
                    Int32("CurrentLeaderEpoch", "2+", @default: -1),
                    Int32("LeaderEpoch", "0+")))))),
        Response: Struct("OffsetForLeaderEpochResponse",
            Int32("ThrottleTimeMs", "2+"),
            Array("Topics", "0+", Struct("OffsetForLeaderTopicResult",
                String("Topic", "0+"),
                Array("Partitions", "0+", Struct("EpochEndOffset",
                    Int16("ErrorCode", "0+"),
                    Int32("Partition", "0+"),
                    Int32("LeaderEpoch", "1+", @default: -1),
                    Int64("EndOffset", "0+", @default: -1)))))));
}
