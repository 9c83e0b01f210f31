using System.Text;
using Akka.Actor;
using AkkaStream.Kafka.IntegrationTests.Support;
using ProduceRequest = AkkaStream.Protocol.Messages.ProduceRequest;
using ProduceResponse = AkkaStream.Protocol.Messages.ProduceResponse;
using AkkaStream.Records.Batches;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace AkkaStream.Kafka.IntegrationTests.Clients;

/// <summary>
/// Confluent.Kafka's AdminClient (librdkafka) against a live broker: every administration call an
/// application makes, and the errors it gets for bad input, as it would from Kafka.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class AdminClientTests(KafkaBrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    public void Dispose() => _admin.Dispose();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private TopicMetadata Described(string topic) => Assert.Single(_admin.GetMetadata(topic, Timeout).Topics);

    [Fact]
    public async Task Creates_topics_with_settings_and_assignments_and_describes_them()
    {
        var (configured, placed) = (Unique("configured"), Unique("placed"));
        await _admin.CreateTopicsAsync(
        [
            new TopicSpecification
            {
                Name = configured, NumPartitions = 3, ReplicationFactor = 1,
                Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" },
            },
            new TopicSpecification { Name = placed, NumPartitions = 2, ReplicationFactor = -1, ReplicasAssignments = new Dictionary<int, List<int>> { [0] = [1], [1] = [1] } },
        ]);

        var metadata = Described(configured);
        Assert.Equal(ErrorCode.NoError, metadata.Error.Code);
        Assert.Equal([0, 1, 2], metadata.Partitions.Select(p => p.PartitionId).Order());
        Assert.All(metadata.Partitions, p => Assert.Equal([1, 1], [p.Leader, .. p.Replicas]));
        Assert.Equal(2, Described(placed).Partitions.Count);
        var topics = (await _admin.DescribeTopicsAsync(TopicCollection.OfTopicNames([configured, placed]))).TopicDescriptions.ToDictionary(t => t.Name);
        Assert.Equal(3, topics[configured].Partitions.Count);
        Assert.All(topics[placed].Partitions, p => Assert.Equal(1, p.Leader.Id));

        var configs = Assert.Single(await _admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = configured }])).Entries;
        Assert.Equal(("3600000", false), (configs["retention.ms"].Value, configs["retention.ms"].IsDefault));
        Assert.Equal(ConfigSource.DynamicTopicConfig, configs["retention.ms"].Source);
        Assert.Equal("compact", configs["cleanup.policy"].Value);
        Assert.True(configs["segment.bytes"].IsDefault);
        Assert.Equal(ConfigSource.DefaultConfig, configs["segment.bytes"].Source);

        var brokerConfigs = Assert.Single(await _admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }])).Entries;
        Assert.Equal("1", brokerConfigs["broker.id"].Value);
        Assert.Equal($"PLAINTEXT://{broker.BootstrapServers}", brokerConfigs["advertised.listeners"].Value);
    }

    [Fact]
    public async Task Alters_settings_whole_and_incrementally()
    {
        var topic = Unique("altered");
        await _admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic, NumPartitions = 1, ReplicationFactor = 1, Configs = new Dictionary<string, string> { ["retention.ms"] = "1000" },
        }]);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = topic };
        async Task<Dictionary<string, ConfigEntryResult>> Configs() => Assert.Single(await _admin.DescribeConfigsAsync([resource])).Entries;

#pragma warning disable CS0618 // AlterConfigs is deprecated in favour of IncrementalAlterConfigs, yet clients still send it, so it is tested.
        await _admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>> { [resource] = [new ConfigEntry { Name = "segment.bytes", Value = "1048576" }] });
#pragma warning restore CS0618
        var replaced = await Configs();
        Assert.Equal("1048576", replaced["segment.bytes"].Value);
        Assert.True(replaced["retention.ms"].IsDefault, "AlterConfigs replaces the whole set: retention.ms is back to its default");

        await _admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] =
            [
                new ConfigEntry { Name = "retention.ms", Value = "5000", IncrementalOperation = AlterConfigOpType.Set },
                new ConfigEntry { Name = "segment.bytes", IncrementalOperation = AlterConfigOpType.Delete },
                new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Append },
            ],
        });
        var incremented = await Configs();
        Assert.Equal("5000", incremented["retention.ms"].Value);
        Assert.True(incremented["segment.bytes"].IsDefault);
        Assert.Equal("delete,compact", incremented["cleanup.policy"].Value);

        await _admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = [new ConfigEntry { Name = "cleanup.policy", Value = "delete", IncrementalOperation = AlterConfigOpType.Subtract }],
        });
        Assert.Equal("compact", (await Configs())["cleanup.policy"].Value);

        var bad = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => _admin.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [resource] = [new ConfigEntry { Name = "retention.ms", Value = "soon", IncrementalOperation = AlterConfigOpType.Set }],
            }));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(bad.Results).Error.Code);
        Assert.Equal("5000", (await Configs())["retention.ms"].Value);
    }

    [Fact]
    public async Task Adds_partitions_deletes_records_and_deletes_topics()
    {
        var topic = Unique("lifecycle");
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]);

        await _admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 3 }]);
        Assert.Equal(3, Described(topic).Partitions.Count);
        var fewer = await Assert.ThrowsAsync<CreatePartitionsException>(() => _admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 2 }]));
        Assert.Equal(ErrorCode.InvalidPartitions, Assert.Single(fewer.Results).Error.Code);

        // Ten records through the broker's own gateway: this test is about the admin client.
        using (var batch = new RecordBatchBuilder())
        {
            for (var i = 0; i < 10; i++) batch.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes($"v{i}"));
            var produced = await broker.Broker.Node.Gateway.Ask<ProduceResponse>(
                new ProduceRequest(topic, 0, AkkaStream.Protocol.Messages.Acks.All, 10_000, -1, batch.Build()), Timeout);
            Assert.Equal(AkkaStream.Records.Errors.ErrorCode.None, produced.Error);
        }
        var deleted = Assert.Single(await _admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 4)]));
        Assert.Equal(4, deleted.Offset.Value);
        var beyond = await Assert.ThrowsAsync<DeleteRecordsException>(() => _admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 50)]));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Single(beyond.Results).Error.Code);

        await _admin.DeleteTopicsAsync([topic]);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Described(topic).Error.Code);
        var again = await Assert.ThrowsAsync<DeleteTopicsException>(() => _admin.DeleteTopicsAsync([topic]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(again.Results).Error.Code);
    }

    [Fact]
    public async Task Describes_the_cluster()
    {
        var cluster = await _admin.DescribeClusterAsync();
        Assert.Equal(broker.Broker.Node.Metadata.Current.ClusterId, cluster.ClusterId);
        Assert.Equal(1, cluster.Controller.Id);
        var only = Assert.Single(cluster.Nodes);
        Assert.Equal((1, "127.0.0.1", broker.Port), (only.Id, only.Host, only.Port));
    }

    [Fact]
    public async Task Bad_topics_get_the_errors_kafka_gives()
    {
        var existing = Unique("existing");
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = existing, NumPartitions = 1, ReplicationFactor = 1 }]);
        var (badConfig, tooReplicated) = (Unique("bad-config"), Unique("too-replicated"));

        var refused = await Assert.ThrowsAsync<CreateTopicsException>(() => _admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = existing, NumPartitions = 1, ReplicationFactor = 1 },
            new TopicSpecification { Name = "bad/name", NumPartitions = 1, ReplicationFactor = 1 },
            new TopicSpecification { Name = badConfig, NumPartitions = 1, ReplicationFactor = 1, Configs = new Dictionary<string, string> { ["retention.ms"] = "soon" } },
            new TopicSpecification { Name = tooReplicated, NumPartitions = 1, ReplicationFactor = 3 },
        ]));
        var errors = refused.Results.ToDictionary(r => r.Topic, r => r.Error.Code);
        Assert.Equal(ErrorCode.TopicAlreadyExists, errors[existing]);
        Assert.Equal(ErrorCode.TopicException, errors["bad/name"]);
        Assert.Equal(ErrorCode.InvalidConfig, errors[badConfig]);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, errors[tooReplicated]);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Described(badConfig).Error.Code);
    }
}
