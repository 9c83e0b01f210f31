using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>CreatePartitions (37): raise a topic's partition count, optionally placing the new partitions. Flexible from v2.</summary>
public static class CreatePartitionsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.CreatePartitions, "0-2", FlexibleFrom: 2,
        Request: Struct("CreatePartitionsRequest",
            Array("Topics", "0+", Struct("CreatePartitionsTopic",
                String("Name", "0+"),
                Int32("Count", "0+"),
                Array("Assignments", "0+", nullable: "0+", element: Struct("CreatePartitionsAssignment",
                    Array("BrokerIds", "0+", FieldType.Int32))))),
            Int32("TimeoutMs", "0+"),
            Boolean("ValidateOnly", "0+")),
        Response: Struct("CreatePartitionsResponse",
            Int32("ThrottleTimeMs", "0+"),
            Array("Results", "0+", Struct("CreatePartitionsTopicResult",
                String("Name", "0+"),
                Int16("ErrorCode", "0+"),
                String("ErrorMessage", "0+", nullable: "0+", @default: null)))));
}
