using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>DeleteRecords (21): move partitions' log start offsets forward. Classic in v0-v1 (flexible from v2).</summary>
public static class DeleteRecordsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.DeleteRecords, "0-1", FlexibleFrom: 2,
        Request: Struct("DeleteRecordsRequest",
            Array("Topics", "0+", Struct("DeleteRecordsTopic",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("DeleteRecordsPartition",
                    Int32("PartitionIndex", "0+"),
                    Int64("Offset", "0+"))))),
            Int32("TimeoutMs", "0+")),
        Response: Struct("DeleteRecordsResponse",
            Int32("ThrottleTimeMs", "0+"),
            Array("Topics", "0+", Struct("DeleteRecordsTopicResult",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("DeleteRecordsPartitionResult",
                    Int32("PartitionIndex", "0+"),
                    Int64("LowWatermark", "0+"),
                    Int16("ErrorCode", "0+")))))));
}
