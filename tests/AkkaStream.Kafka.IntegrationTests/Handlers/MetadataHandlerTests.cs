using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;
using Confluent.Kafka;
using ErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Handlers;

[Collection(KafkaBrokerCollection.Name)]
public sealed class MetadataHandlerTests(KafkaBrokerFixture broker)
{
    private static readonly StructSchema TopicRequest = MetadataApi.Declaration.Request.ElementOf("Topics");

    public static TheoryData<short> Versions() => [0, 1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Names_the_advertised_listener_and_every_partition(short version)
    {
        var topic = await broker.CreateTopicAsync("metadata", partitions: 3);
        await using var client = await WireClient.ConnectAsync(broker.Port);
        var request = MetadataApi.Declaration.Request.NewDefault()
            .With("Topics", new object?[] { TopicRequest.NewDefault().With("Name", topic) });
        await client.SendAsync(MetadataApi.Declaration, version, 3, request);
        var (_, body) = await client.ReceiveAsync(MetadataApi.Declaration, version);

        var only = Assert.Single(body.Get<object?[]>("Brokers").Cast<MessageStruct>());
        Assert.Equal(1, only.Get<int>("NodeId"));
        Assert.Equal("127.0.0.1", only.Get<string>("Host"));
        Assert.Equal(broker.Port, only.Get<int>("Port"));
        if (version >= 1) Assert.Equal(1, body.Get<int>("ControllerId"));
        if (version >= 2) Assert.False(string.IsNullOrEmpty(body.Get<string?>("ClusterId")));
        var described = Assert.Single(body.Get<object?[]>("Topics").Cast<MessageStruct>());
        Assert.Equal(topic, described.Get<string>("Name"));
        Assert.Equal((short)ErrorCode.None, described.Get<short>("ErrorCode"));
        var partitions = described.Get<object?[]>("Partitions").Cast<MessageStruct>().OrderBy(p => p.Get<int>("PartitionIndex")).ToList();
        Assert.Equal([0, 1, 2], partitions.Select(p => p.Get<int>("PartitionIndex")));
        Assert.All(partitions, p =>
        {
            Assert.Equal(1, p.Get<int>("LeaderId"));
            Assert.Equal([1], p.Get<object?[]>("ReplicaNodes").Cast<int>());
            Assert.Equal([1], p.Get<object?[]>("IsrNodes").Cast<int>());
            if (version >= 7) Assert.True(p.Get<int>("LeaderEpoch") >= 0);
        });
    }

    [Fact]
    public async Task An_unknown_topic_is_reported_and_not_created_when_the_broker_setting_is_off()
    {
        var name = "never-created-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await WireClient.ConnectAsync(broker.Port);
        var request = MetadataApi.Declaration.Request.NewDefault()
            .With("Topics", new object?[] { TopicRequest.NewDefault().With("Name", name) })
            .With("AllowAutoTopicCreation", true);
        await client.SendAsync(MetadataApi.Declaration, 8, 1, request);
        var (_, body) = await client.ReceiveAsync(MetadataApi.Declaration, 8);
        var topic = Assert.Single(body.Get<object?[]>("Topics").Cast<MessageStruct>());
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, topic.Get<short>("ErrorCode"));
        Assert.False(broker.Broker.Node.Metadata.Current.Topics.ContainsKey(name));
    }

    [Fact]
    public async Task The_confluent_admin_client_sees_the_broker_and_the_topic()
    {
        var topic = await broker.CreateTopicAsync("metadata-admin", partitions: 2);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30));

        var only = Assert.Single(metadata.Brokers);
        Assert.Equal(1, only.BrokerId);
        Assert.Equal(broker.Port, only.Port);
        var described = Assert.Single(metadata.Topics);
        Assert.Equal(topic, described.Topic);
        Assert.Equal(2, described.Partitions.Count);
        Assert.All(described.Partitions, p => Assert.Equal(1, p.Leader));
    }
}
