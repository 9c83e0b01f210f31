using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// CreateTopics (19). v1 adds validateOnly; v5 is the first flexible version and returns each new
/// topic's partitions, replication factor and configs; v6 is v5 with a new error case.
/// </summary>
public static class CreateTopicsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.CreateTopics, "0-6", FlexibleFrom: 5,
        Request: Struct("CreateTopicsRequest",
            Array("Topics", "0+", Struct("CreatableTopic",
                String("Name", "0+"),
                Int32("NumPartitions", "0+"),
                Int16("ReplicationFactor", "0+"),
                Array("Assignments", "0+", Struct("CreatableReplicaAssignment",
                    Int32("PartitionIndex", "0+"),
                    Array("BrokerIds", "0+", FieldType.Int32))),
                Array("Configs", "0+", Struct("CreatableTopicConfig",
                    String("Name", "0+"),
                    String("Value", "0+", nullable: "0+"))))),
            Int32("TimeoutMs", "0+", @default: 60000),
            Boolean("ValidateOnly", "1+")),
        Response: Struct("CreateTopicsResponse",
            Int32("ThrottleTimeMs", "2+"),
            Array("Topics", "0+", Struct("CreatableTopicResult",
                String("Name", "0+"),
                Int16("ErrorCode", "0+"),
                String("ErrorMessage", "1+", nullable: "0+", @default: null),
                Int16("TopicConfigErrorCode", "5+", tag: 0),
                Int32("NumPartitions", "5+", @default: -1),
                Int16("ReplicationFactor", "5+", @default: -1),
                Array("Configs", "5+", nullable: "5+", element: Struct("CreatableTopicConfigs",
                    String("Name", "5+"),
                    String("Value", "5+", nullable: "5+"),
                    Boolean("ReadOnly", "5+"),
                    Int8("ConfigSource", "5+", @default: -1),
                    Boolean("IsSensitive", "5+")))))));
}
