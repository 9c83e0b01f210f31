using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// Metadata (3): brokers, topics and partition leaders. v0-v8 are all classic (flexible from v9).
/// In v0 an empty topic list means "all topics"; from v1 that is a null list.
/// </summary>
public static class MetadataApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.Metadata, "0-8", FlexibleFrom: 9,
        Request: Struct("MetadataRequest",
            Array("Topics", "0+", nullable: "1+", element: Struct("MetadataRequestTopic",
                String("Name", "0+"))),
            Boolean("AllowAutoTopicCreation", "4+", @default: true),
            Boolean("IncludeClusterAuthorizedOperations", "8-10"),
            Boolean("IncludeTopicAuthorizedOperations", "8+")),
        Response: Struct("MetadataResponse",
            Int32("ThrottleTimeMs", "3+"),
            Array("Brokers", "0+", Struct("MetadataResponseBroker",
                Int32("NodeId", "0+"),
                String("Host", "0+"),
                Int32("Port", "0+"),
                String("Rack", "1+", nullable: "1+", @default: null))),
            String("ClusterId", "2+", nullable: "2+", @default: null),
            Int32("ControllerId", "1+", @default: -1),
            Array("Topics", "0+", Struct("MetadataResponseTopic",
                Int16("ErrorCode", "0+"),
                String("Name", "0+"),
                Boolean("IsInternal", "1+"),
                Array("Partitions", "0+", Struct("MetadataResponsePartition",
                    Int16("ErrorCode", "0+"),
                    Int32("PartitionIndex", "0+"),
                    Int32("LeaderId", "0+"),
                    Int32("LeaderEpoch", "7+", @default: -1),
                    Array("ReplicaNodes", "0+", FieldType.Int32),
                    Array("IsrNodes", "0+", FieldType.Int32),
                    Array("OfflineReplicas", "5+", FieldType.Int32))),
                Int32("TopicAuthorizedOperations", "8+", @default: int.MinValue))),
            Int32("ClusterAuthorizedOperations", "8+", @default: int.MinValue)));
}
