using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// Fetch (1): record batches from a partition by offset. v4 is the first with record batch v2 and
/// the isolation level; v7 adds fetch sessions, v11 the rack id. Classic up to v11 (flexible from
/// v12); v13 switches to topic ids, which is why the range stops below it.
/// </summary>
public static class FetchApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.Fetch, "4-11", FlexibleFrom: 12,
        Request: Struct("FetchRequest",
            Int32("ReplicaId", "0+"),
            Int32("MaxWaitMs", "0+"),
            Int32("MinBytes", "0+"),
            Int32("MaxBytes", "3+", @default: int.MaxValue),
            Int8("IsolationLevel", "4+"),
            Int32("SessionId", "7+"),
            Int32("SessionEpoch", "7+", @default: -1),
            Array("Topics", "0+", Struct("FetchTopic",
                String("Topic", "0+"),
                Array("Partitions", "0+", Struct("FetchPartition",
                    Int32("Partition", "0+"),
                    Int32("CurrentLeaderEpoch", "9+", @default: -1),
                    Int64("FetchOffset", "0+"),
                    Int64("LogStartOffset", "5+", @default: -1),
                    Int32("PartitionMaxBytes", "0+"))))),
            Array("ForgottenTopicsData", "7+", Struct("ForgottenTopic",
                String("Topic", "7+"),
                Array("Partitions", "7+", FieldType.Int32))),
            String("RackId", "11+")),
        Response: Struct("FetchResponse",
            Int32("ThrottleTimeMs", "1+"),
            Int16("ErrorCode", "7+"),
            Int32("SessionId", "7+"),
            Array("Responses", "0+", Struct("FetchableTopicResponse",
                String("Topic", "0+"),
                Array("Partitions", "0+", Struct("PartitionData",
                    Int32("PartitionIndex", "0+"),
                    Int16("ErrorCode", "0+"),
                    Int64("HighWatermark", "0+"),
                    Int64("LastStableOffset", "4+", @default: -1),
                    Int64("LogStartOffset", "5+", @default: -1),
                    Array("AbortedTransactions", "4+", nullable: "4+", element: Struct("AbortedTransaction",
                        Int64("ProducerId", "4+"),
                        Int64("FirstOffset", "4+"))),
                    Int32("PreferredReadReplica", "11+", @default: -1),
                    RecordSet("Records", "0+")))))));
}
