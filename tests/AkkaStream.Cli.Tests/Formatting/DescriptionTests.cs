using AkkaStream.Cli.Formatting;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Tests.Formatting;

public sealed class DescriptionTests
{
    [Fact]
    public void A_topic_prints_its_overrides_then_one_line_per_partition()
    {
        var id = Guid.Parse("6f1c4c8e-0000-4000-8000-000000000001");
        var topic = new TopicMetadata("orders", id, ErrorCode.None,
        [
            new PartitionMetadata(1, ErrorCode.None, -1, 3, [2, 3], []),
            new PartitionMetadata(0, ErrorCode.None, 1, 7, [1, 2, 3], [1, 2]),
        ]);
        ConfigEntry[] configs =
        [
            new("segment.bytes", "1024", false),
            new("retention.ms", "604800000", true),
            new("cleanup.policy", "compact", false),
        ];

        var lines = TopicDescription.Lines(topic, configs).ToArray();

        Assert.Equal(
        [
            $"Topic: orders\tTopicId: {id}\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: cleanup.policy=compact,segment.bytes=1024",
            "\tTopic: orders\tPartition: 0\tLeader: 1\tLeaderEpoch: 7\tReplicas: 1,2,3\tIsr: 1,2",
            "\tTopic: orders\tPartition: 1\tLeader: none\tLeaderEpoch: 3\tReplicas: 2,3\tIsr: ",
        ], lines);
    }

    [Fact]
    public void A_reassignment_prints_its_replicas_and_those_being_added_and_removed()
    {
        Assert.Equal("Topic: orders\tPartition: 2\tReplicas: 3,2,1\tAdding: 3\tRemoving: 1",
            TopicDescription.Line(new OngoingReassignment("orders", 2, [3, 2, 1], [3], [1])));
    }

    [Fact]
    public void Cluster_status_prints_the_id_the_controller_and_each_broker()
    {
        var cluster = new DescribeClusterResponse("c-1", 2,
        [
            new BrokerMetadata(2, "akka.tcp://akkastream@10.0.0.6:2552/user/gateway", "10.0.0.6", 9092),
            new BrokerMetadata(1, "akka.tcp://akkastream@10.0.0.5:2552/user/gateway", "", 0),
        ]);

        Assert.Equal(
        [
            "ClusterId: c-1",
            "Controller: 2",
            "Broker: 1\tGateway: akka.tcp://akkastream@10.0.0.5:2552/user/gateway",
            "Broker: 2\tGateway: akka.tcp://akkastream@10.0.0.6:2552/user/gateway\tKafka: 10.0.0.6:9092",
        ], ClusterDescription.Lines(cluster).ToArray());
        Assert.Equal("Controller: none", ClusterDescription.Lines(cluster with { ControllerId = -1 }).ElementAt(1));
    }
}
