using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// Produce (0): record batches to partition leaders. v3 is the first with record batch v2 (and
/// the transactional id); v0-v8 are all classic (flexible from v9).
/// </summary>
public static class ProduceApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.Produce, "3-8", FlexibleFrom: 9,
        Request: Struct("ProduceRequest",
            String("TransactionalId", "3+", nullable: "0+", @default: null),
            Int16("Acks", "0+"),
            Int32("TimeoutMs", "0+"),
            Array("Topics", "0+", Struct("TopicProduceData",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("PartitionProduceData",
                    Int32("PartitionIndex", "0+"),
                    RecordSet("Records", "0+")))))),
        Response: Struct("ProduceResponse",
            Array("Responses", "0+", Struct("TopicProduceResponse",
                String("Name", "0+"),
                Array("Partitions", "0+", Struct("PartitionProduceResponse",
                    Int32("PartitionIndex", "0+"),
                    Int16("ErrorCode", "0+"),
                    Int64("BaseOffset", "0+"),
                    Int64("LogAppendTimeMs", "2+", @default: -1),
                    Int64("LogStartOffset", "5+", @default: -1),
                    Array("RecordErrors", "8+", Struct("BatchIndexAndErrorMessage",
                        Int32("BatchIndex", "8+"),
                        String("BatchIndexErrorMessage", "8+", nullable: "8+", @default: null))),
                    String("ErrorMessage", "8+", nullable: "8+", @default: null))))),
            Int32("ThrottleTimeMs", "1+")));
}
