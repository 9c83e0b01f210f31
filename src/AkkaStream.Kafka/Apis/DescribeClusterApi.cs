using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>DescribeCluster (60): the cluster id, controller and brokers (KIP-700). Flexible from v0.</summary>
public static class DescribeClusterApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.DescribeCluster, "0", FlexibleFrom: 0,
        Request: Struct("DescribeClusterRequest",
            Boolean("IncludeClusterAuthorizedOperations", "0+")),
        Response: Struct("DescribeClusterResponse",
            Int32("ThrottleTimeMs", "0+"),
            Int16("ErrorCode", "0+"),
            String("ErrorMessage", "0+", nullable: "0+", @default: null),
            String("ClusterId", "0+"),
            Int32("ControllerId", "0+", @default: -1),
            Array("Brokers", "0+", Struct("DescribeClusterBroker",
                Int32("BrokerId", "0+"),
                String("Host", "0+"),
                Int32("Port", "0+"),
                String("Rack", "0+", nullable: "0+", @default: null))),
            Int32("ClusterAuthorizedOperations", "0+", @default: int.MinValue)));
}
