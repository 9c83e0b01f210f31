using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Metadata;

public sealed class MetadataCacheTests : TestKit
{
    private static MetadataSnapshot Snapshot(int controllerEpoch, int sequence, params string[] topics) =>
        new("cluster", 1, controllerEpoch, MetadataSnapshot.VersionOf(controllerEpoch, sequence), [new BrokerInfo(1, "10.0.0.1", 2552)],
            topics.ToDictionary(t => t, t => new TopicState(t, Guid.NewGuid(), new Dictionary<string, string>(), [new PartitionState(0, [1], 1, 0, [1])])));

    [Fact]
    public void Asks_the_controller_keeps_the_newest_snapshot_and_answers_metadata()
    {
        var controller = CreateTestProbe();
        var view = new MetadataView();
        var cache = Sys.ActorOf(MetadataCache.Props(view, null, controller, TimeSpan.FromMinutes(1)));
        controller.ExpectMsg<ControllerActor.GetMetadata>();

        cache.Tell(Snapshot(2, 5, "new"));
        cache.Tell(Snapshot(2, 4, "older"));
        cache.Tell(Snapshot(1, 99, "older-controller"));
        cache.Tell(new MetadataRequest(["new", "older"]));
        var response = ExpectMsg<MetadataResponse>();
        Assert.Equal(MetadataSnapshot.VersionOf(2, 5), response.Version);
        Assert.Equal(ErrorCode.None, response.Topics[0].Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, response.Topics[1].Error);
        Assert.Equal("akka.tcp://akkastream@10.0.0.1:2552/user/gateway", Assert.Single(response.Brokers).GatewayPath);

        cache.Tell(DescribeClusterRequest.Instance);
        var cluster = ExpectMsg<DescribeClusterResponse>();
        Assert.Equal("cluster", cluster.ClusterId);
        Assert.Equal(1, cluster.ControllerId);
        Assert.True(view.Current.Topics.ContainsKey("new"));
    }

    [Fact]
    public void Answers_partition_lists_in_types_a_client_without_the_broker_assembly_can_deserialize()
    {
        // The snapshot's lists are collection expressions, whose types the compiler emits into the
        // assembly that builds them; a client process cannot load that assembly.
        var controller = CreateTestProbe();
        var cache = Sys.ActorOf(MetadataCache.Props(new MetadataView(), null, controller, TimeSpan.FromMinutes(1)));
        controller.ExpectMsg<ControllerActor.GetMetadata>();
        cache.Tell(Snapshot(1, 1, "orders"));

        cache.Tell(new MetadataRequest(["orders"]));
        var partition = Assert.Single(ExpectMsg<MetadataResponse>().Topics[0].Partitions);

        Assert.Equal(typeof(object).Assembly, partition.Replicas.GetType().Assembly);
        Assert.Equal(typeof(object).Assembly, partition.Isr.GetType().Assembly);
    }
}
