using Akka.Actor;
using AkkaStream.Client.Metadata;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Admin;

public sealed class AdminTests() : FakeCluster
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CreateTopic_sends_the_request_and_returns_the_answer()
    {
        var created = Client.Admin.CreateTopicAsync("payments", 3, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" });

        var request = Broker1.ExpectMsg<CreateTopicRequest>(Wait);
        Assert.Equal(("payments", 3, (short)1, "1000"), (request.Name, request.Partitions, request.ReplicationFactor, request.Configs["retention.ms"]));
        var id = Guid.NewGuid();
        Broker1.Reply(new CreateTopicResponse("payments", ErrorCode.None, null, id));
        Assert.Equal(id, (await created.WaitAsync(Wait)).TopicId);
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_is_passed_over_for_the_next_one()
    {
        // Metadata first, so that the client knows both brokers.
        await Client.Admin.ListTopicsAsync().WaitAsync(Wait);
        var created = Client.Admin.CreateTopicAsync("payments");

        Broker1.ExpectMsg<CreateTopicRequest>(Wait); // and never answers, as a crashed broker would
        Broker2.ExpectMsg<CreateTopicRequest>(Wait);
        Broker2.Reply(new CreateTopicResponse("payments", ErrorCode.None, null, Guid.NewGuid()));
        Assert.Equal(ErrorCode.None, (await created.WaitAsync(Wait)).Error);
    }

    [Theory]
    [InlineData(ErrorCode.TopicAlreadyExists)]
    [InlineData(ErrorCode.InvalidReplicationFactor)]
    public async Task An_error_reply_becomes_an_exception_with_its_code(ErrorCode code)
    {
        var created = Client.Admin.CreateTopicAsync("orders");

        Broker1.ExpectMsg<CreateTopicRequest>(Wait);
        Broker1.Reply(new CreateTopicResponse("orders", code, "refused", Guid.Empty));

        var error = await Assert.ThrowsAsync<AkkaStreamException>(() => created.WaitAsync(Wait));
        Assert.Equal(code, error.Code);
        Assert.Equal("refused", error.Message);
    }

    [Fact]
    public async Task Config_changes_and_partition_increases_map_errors_too()
    {
        var alter = Client.Admin.AlterConfigsAsync("orders", new Dictionary<string, string> { ["retention.ms"] = "x" });
        Broker1.ExpectMsg<AlterConfigsRequest>(Wait);
        Broker1.Reply(new AlterConfigsResponse("orders", ErrorCode.InvalidConfig, "not a number"));
        Assert.Equal(ErrorCode.InvalidConfig, (await Assert.ThrowsAsync<AkkaStreamException>(() => alter.WaitAsync(Wait))).Code);

        var grow = Client.Admin.CreatePartitionsAsync("orders", 2);
        Broker1.ExpectMsg<CreatePartitionsRequest>(Wait);
        Broker1.Reply(new CreatePartitionsResponse("orders", ErrorCode.InvalidPartitions, "fewer than 6"));
        Assert.Equal(ErrorCode.InvalidPartitions, (await Assert.ThrowsAsync<AkkaStreamException>(() => grow.WaitAsync(Wait))).Code);
    }

    [Fact]
    public async Task Describe_and_list_topics_come_from_metadata()
    {
        Assert.Equal(["orders"], await Client.Admin.ListTopicsAsync().WaitAsync(Wait));
        var described = Assert.Single(await Client.Admin.DescribeTopicsAsync(["orders"]).WaitAsync(Wait));
        Assert.Equal(6, described.Partitions.Count);

        var error = await Assert.ThrowsAsync<AkkaStreamException>(() => Client.Admin.DescribeTopicsAsync(["missing"]).WaitAsync(Wait));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
    }

    [Fact]
    public async Task DeleteRecords_goes_to_the_partition_leader()
    {
        Metadata = MetadataFor(("orders", 6, 2));
        await Client.Metadata.Ask<ClusterSnapshot>(new MetadataActor.GetSnapshot(Fresh: true), Wait); // the client has seen broker 2 lead

        var deleted = Client.Admin.DeleteRecordsAsync(new TopicPartition("orders", 4), 50);

        var request = Broker2.ExpectMsg<DeleteRecordsRequest>(Wait);
        Assert.Equal((4, 50L), (request.Partition, request.Offset));
        Broker2.Reply(new DeleteRecordsResponse("orders", 4, ErrorCode.None, null, 50));
        Assert.Equal(50, await deleted.WaitAsync(Wait));
    }

    [Fact]
    public async Task DescribeCluster_returns_the_brokers()
    {
        var cluster = Client.Admin.DescribeClusterAsync();

        Broker1.ExpectMsg<DescribeClusterRequest>(Wait);
        Broker1.Reply(new DescribeClusterResponse("c", 1, Metadata.Brokers));
        Assert.Equal(2, (await cluster.WaitAsync(Wait)).Brokers.Count);
    }
}
