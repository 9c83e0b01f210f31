using System.Text;
using Akka.Actor;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Handlers;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.IntegrationTests.Handlers;

/// <summary>
/// The administration handlers through a live listener, at every version they serve: what each
/// version carries, the per-resource errors a client gets for bad input, and that the change is
/// made (seen in the broker's metadata and settings).
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class AdminHandlerTests(KafkaBrokerFixture broker)
{
    private Broker.Hosting.BrokerNode Node => broker.Broker.Node;

    /// <summary>One request at <paramref name="version"/> over a fresh connection; the response body.</summary>
    private Task<MessageStruct> CallAsync(ApiDeclaration api, short version, MessageStruct body) => WireCalls.CallAsync(broker.Port, api, version, body);

    private static MessageStruct Build(StructSchema schema, params (string Field, object? Value)[] values) => WireCalls.Build(schema, values);

    private static object?[] Array(params object?[] items) => items;

    private static short Error(ErrorCode code) => (short)code;

    private static MessageStruct NewTopic(StructSchema request, string name, int partitions, short replicationFactor, params (string Name, string? Value)[] configs)
    {
        var topic = request.ElementOf("Topics");
        return Build(topic, ("Name", name), ("NumPartitions", partitions), ("ReplicationFactor", replicationFactor),
            ("Configs", configs.Select(c => (object?)Build(topic.ElementOf("Configs"), ("Name", c.Name), ("Value", c.Value))).ToArray()));
    }

    private Task<MessageStruct> CreateTopicsAsync(short version, params MessageStruct[] topics) =>
        CallAsync(CreateTopicsApi.Declaration, version,
            Build(CreateTopicsApi.Declaration.Request, ("Topics", topics.Cast<object?>().ToArray()), ("TimeoutMs", 30_000)));

    private static Dictionary<string, MessageStruct> ByName(MessageStruct response, string array, string nameField = "Name") =>
        response.Get<object?[]>(array).Cast<MessageStruct>().ToDictionary(r => r.Get<string>(nameField));

    [Fact]
    public async Task CreateTopics_creates_at_every_version_and_refuses_bad_topics_one_by_one()
    {
        var request = CreateTopicsApi.Declaration.Request;
        Assert.Equal(ErrorCode.None, (ErrorCode)ByName(await CreateTopicsAsync(0, NewTopic(request, "existing", 1, 1)), "Topics")["existing"].Get<short>("ErrorCode"));
        for (short version = 0; version <= 6; version++)
        {
            // -1 takes the broker's defaults; Kafka allows it from v4.
            var (partitions, rf) = version >= 4 ? (-1, (short)-1) : (3, (short)1);
            var response = await CreateTopicsAsync(version,
                NewTopic(request, $"created-v{version}", partitions, rf, ("retention.ms", "60000")),
                NewTopic(request, "bad name!", 1, 1),
                NewTopic(request, "existing", 1, 1),
                NewTopic(request, $"rf-v{version}", 1, 3),
                NewTopic(request, $"config-v{version}", 1, 1, ("retention.ms", "soon")),
                NewTopic(request, $"unknown-config-v{version}", 1, 1, ("no.such.setting", "1")));
            var results = ByName(response, "Topics");

            Assert.Equal(Error(ErrorCode.None), results[$"created-v{version}"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.InvalidTopicException), results["bad name!"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.TopicAlreadyExists), results["existing"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.InvalidReplicationFactor), results[$"rf-v{version}"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.InvalidConfig), results[$"config-v{version}"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.InvalidConfig), results[$"unknown-config-v{version}"].Get<short>("ErrorCode"));
            if (version >= 1) Assert.Contains("retention.ms", results[$"config-v{version}"].Get<string>("ErrorMessage"));
            else Assert.Null(results[$"config-v{version}"].Get<string?>("ErrorMessage"));

            var created = results[$"created-v{version}"];
            var expectedPartitions = version >= 4 ? Node.Settings.NumPartitions : 3;
            if (version >= 5)
            {
                Assert.Equal(expectedPartitions, created.Get<int>("NumPartitions"));
                Assert.Equal((short)1, created.Get<short>("ReplicationFactor"));
                var configs = created.Get<object?[]>("Configs").Cast<MessageStruct>().ToDictionary(c => c.Get<string>("Name"));
                Assert.Equal("60000", configs["retention.ms"].Get<string>("Value"));
                Assert.Equal(ConfigSources.TopicConfig, configs["retention.ms"].Get<sbyte>("ConfigSource"));
                Assert.Equal(ConfigSources.DefaultConfig, configs["segment.bytes"].Get<sbyte>("ConfigSource"));
            }
            // Answered once this broker's metadata has the topic.
            var topic = Node.Metadata.Current.Topics[$"created-v{version}"];
            Assert.Equal(expectedPartitions, topic.Partitions.Count);
            Assert.Equal("60000", topic.Configs["retention.ms"]);
            Assert.False(Node.Metadata.Current.Topics.ContainsKey($"rf-v{version}"));
        }
    }

    [Fact]
    public async Task CreateTopics_validates_only_and_places_replicas_as_assigned()
    {
        var request = CreateTopicsApi.Declaration.Request;
        var validate = Build(request, ("Topics", Array(NewTopic(request, "validated", 1, 1))), ("ValidateOnly", true));
        var validated = await CallAsync(CreateTopicsApi.Declaration, 5, validate);
        Assert.Equal(Error(ErrorCode.None), ByName(validated, "Topics")["validated"].Get<short>("ErrorCode"));
        Assert.Equal(1, ByName(validated, "Topics")["validated"].Get<int>("NumPartitions"));
        Assert.False(Node.Metadata.Current.Topics.ContainsKey("validated"));

        var assignment = request.ElementOf("Topics").ElementOf("Assignments");
        MessageStruct Assigned(int partition, params int[] brokers) =>
            Build(assignment, ("PartitionIndex", partition), ("BrokerIds", brokers.Cast<object?>().ToArray()));
        var placed = NewTopic(request, "placed", -1, -1).With("Assignments", Array(Assigned(1, 1), Assigned(0, 1)));
        var gap = NewTopic(request, "gap", -1, -1).With("Assignments", Array(Assigned(0, 1), Assigned(2, 1)));
        var absent = NewTopic(request, "absent", -1, -1).With("Assignments", Array(Assigned(0, 7)));
        var results = ByName(await CreateTopicsAsync(4, placed, gap, absent), "Topics");

        Assert.Equal(Error(ErrorCode.None), results["placed"].Get<short>("ErrorCode"));
        Assert.Equal(2, Node.Metadata.Current.Topics["placed"].Partitions.Count);
        Assert.Equal(Error(ErrorCode.InvalidReplicaAssignment), results["gap"].Get<short>("ErrorCode"));
        Assert.Equal(Error(ErrorCode.InvalidReplicaAssignment), results["absent"].Get<short>("ErrorCode"));
        Assert.Contains("broker 7", results["absent"].Get<string>("ErrorMessage"));
    }

    [Fact]
    public async Task DeleteTopics_deletes_by_name_at_every_version()
    {
        for (short version = 0; version <= 5; version++)
        {
            await CreateTopicsAsync(1, NewTopic(CreateTopicsApi.Declaration.Request, $"doomed-v{version}", 1, 1));
            var response = await CallAsync(DeleteTopicsApi.Declaration, version,
                Build(DeleteTopicsApi.Declaration.Request, ("TopicNames", Array($"doomed-v{version}", "never-was")), ("TimeoutMs", 30_000)));
            var results = ByName(response, "Responses");
            Assert.Equal(Error(ErrorCode.None), results[$"doomed-v{version}"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.UnknownTopicOrPartition), results["never-was"].Get<short>("ErrorCode"));
            if (version >= 5) Assert.Contains("never-was", results["never-was"].Get<string>("ErrorMessage"));
            Assert.False(Node.Metadata.Current.Topics.ContainsKey($"doomed-v{version}"));
        }
    }

    [Fact]
    public async Task CreatePartitions_raises_the_count_at_every_version()
    {
        await CreateTopicsAsync(1, NewTopic(CreateTopicsApi.Declaration.Request, "growing", 1, 1));
        var schema = CreatePartitionsApi.Declaration.Request;
        var topic = schema.ElementOf("Topics");
        for (short version = 0; version <= 2; version++)
        {
            var count = 2 + version;
            var response = await CallAsync(CreatePartitionsApi.Declaration, version, Build(schema,
                ("Topics", Array(
                    Build(topic, ("Name", "growing"), ("Count", count), ("Assignments", null)),
                    Build(topic, ("Name", "nowhere"), ("Count", 2), ("Assignments", null)))),
                ("TimeoutMs", 30_000)));
            var results = ByName(response, "Results");
            Assert.Equal(Error(ErrorCode.None), results["growing"].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.UnknownTopicOrPartition), results["nowhere"].Get<short>("ErrorCode"));
            Assert.Equal(count, Node.Metadata.Current.Topics["growing"].Partitions.Count);
        }

        var fewer = await CallAsync(CreatePartitionsApi.Declaration, 1, Build(schema,
            ("Topics", Array(Build(topic, ("Name", "growing"), ("Count", 2), ("Assignments", null))))));
        Assert.Equal(Error(ErrorCode.InvalidPartitions), ByName(fewer, "Results")["growing"].Get<short>("ErrorCode"));
        var assignment = topic.ElementOf("Assignments");
        var placed = await CallAsync(CreatePartitionsApi.Declaration, 2, Build(schema,
            ("Topics", Array(Build(topic, ("Name", "growing"), ("Count", 5),
                ("Assignments", Array(Build(assignment, ("BrokerIds", Array(1)))))))), ("TimeoutMs", 30_000)));
        Assert.Equal(Error(ErrorCode.None), ByName(placed, "Results")["growing"].Get<short>("ErrorCode"));
        Assert.Equal(5, Node.Metadata.Current.Topics["growing"].Partitions.Count);
    }

    private static MessageStruct DescribeResource(sbyte type, string name, params string[]? keys)
    {
        var schema = DescribeConfigsApi.Declaration.Request.ElementOf("Resources");
        return Build(schema, ("ResourceType", type), ("ResourceName", name), ("ConfigurationKeys", keys?.Cast<object?>().ToArray()));
    }

    private async Task<Dictionary<string, MessageStruct>> DescribeTopicAsync(string topic, short version = 4)
    {
        var response = await CallAsync(DescribeConfigsApi.Declaration, version,
            Build(DescribeConfigsApi.Declaration.Request, ("Resources", Array(DescribeResource(ConfigSources.TopicResource, topic, null)))));
        var result = (MessageStruct)response.Get<object?[]>("Results")[0]!;
        Assert.Equal(Error(ErrorCode.None), result.Get<short>("ErrorCode"));
        return result.Get<object?[]>("Configs").Cast<MessageStruct>().ToDictionary(c => c.Get<string>("Name"));
    }

    [Fact]
    public async Task DescribeConfigs_lists_topic_settings_with_sources_and_the_broker_listener_at_every_version()
    {
        await CreateTopicsAsync(1, NewTopic(CreateTopicsApi.Declaration.Request, "described", 1, 1, ("cleanup.policy", "compact")));
        for (short version = 0; version <= 4; version++)
        {
            var request = Build(DescribeConfigsApi.Declaration.Request,
                ("Resources", Array(
                    DescribeResource(ConfigSources.TopicResource, "described", null),
                    DescribeResource(ConfigSources.TopicResource, "described", "retention.ms"),
                    DescribeResource(ConfigSources.TopicResource, "undescribed", null),
                    DescribeResource(ConfigSources.BrokerResource, "1", null),
                    DescribeResource(ConfigSources.BrokerResource, "2", null))),
                ("IncludeSynonyms", true));
            var results = (await CallAsync(DescribeConfigsApi.Declaration, version, request))
                .Get<object?[]>("Results").Cast<MessageStruct>().ToList();
            MessageStruct[] Configs(int i) => [.. results[i].Get<object?[]>("Configs").Cast<MessageStruct>()];

            var all = Configs(0).ToDictionary(c => c.Get<string>("Name"));
            Assert.Equal("compact", all["cleanup.policy"].Get<string>("Value"));
            Assert.Equal("604800000", all["retention.ms"].Get<string>("Value"));
            if (version == 0)
            {
                Assert.False(all["cleanup.policy"].Get<bool>("IsDefault"));
                Assert.True(all["retention.ms"].Get<bool>("IsDefault"));
            }
            else
            {
                Assert.Equal(ConfigSources.TopicConfig, all["cleanup.policy"].Get<sbyte>("ConfigSource"));
                Assert.Equal(ConfigSources.DefaultConfig, all["retention.ms"].Get<sbyte>("ConfigSource"));
                Assert.Equal("compact", Assert.Single(all["cleanup.policy"].Get<object?[]>("Synonyms").Cast<MessageStruct>()).Get<string>("Value"));
            }
            if (version >= 3)
            {
                Assert.Equal(ConfigSources.TypeList, all["cleanup.policy"].Get<sbyte>("ConfigType"));
                Assert.Equal(ConfigSources.TypeLong, all["retention.ms"].Get<sbyte>("ConfigType"));
            }
            Assert.Equal("retention.ms", Assert.Single(Configs(1)).Get<string>("Name"));
            Assert.Equal(Error(ErrorCode.UnknownTopicOrPartition), results[2].Get<short>("ErrorCode"));

            Assert.Equal(Error(ErrorCode.None), results[3].Get<short>("ErrorCode"));
            var brokerConfigs = Configs(3).ToDictionary(c => c.Get<string>("Name"));
            Assert.Equal("1", brokerConfigs["broker.id"].Get<string>("Value"));
            Assert.Equal($"PLAINTEXT://{broker.BootstrapServers}", brokerConfigs["advertised.listeners"].Get<string>("Value"));
            Assert.True(brokerConfigs["listeners"].Get<bool>("ReadOnly"));
            Assert.Equal(Error(ErrorCode.InvalidRequest), results[4].Get<short>("ErrorCode"));
        }
    }

    private static MessageStruct AlterResource(StructSchema request, sbyte type, string name, params (string Name, sbyte Operation, string? Value)[] configs)
    {
        var resource = request.ElementOf("Resources");
        var config = resource.ElementOf("Configs");
        var incremental = config.Fields.Any(f => f.Name == "ConfigOperation");
        return Build(resource, ("ResourceType", type), ("ResourceName", name), ("Configs", configs.Select(c => (object?)(incremental
            ? Build(config, ("Name", c.Name), ("ConfigOperation", c.Operation), ("Value", c.Value))
            : Build(config, ("Name", c.Name), ("Value", c.Value)))).ToArray()));
    }

    private static List<short> Errors(MessageStruct response) =>
        [.. response.Get<object?[]>("Responses").Cast<MessageStruct>().Select(r => r.Get<short>("ErrorCode"))];

    [Fact]
    public async Task AlterConfigs_replaces_a_topics_settings_at_every_version()
    {
        await CreateTopicsAsync(1, NewTopic(CreateTopicsApi.Declaration.Request, "replaced", 1, 1, ("retention.ms", "1000")));
        var schema = AlterConfigsApi.Declaration.Request;
        for (short version = 0; version <= 1; version++)
        {
            var segment = (16384 + version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var response = await CallAsync(AlterConfigsApi.Declaration, version, Build(schema, ("Resources", Array(
                AlterResource(schema, ConfigSources.TopicResource, "replaced", ("segment.bytes", 0, segment)),
                AlterResource(schema, ConfigSources.TopicResource, "replaced", ("retention.ms", 0, "later")),
                AlterResource(schema, ConfigSources.TopicResource, "unreplaced", ("retention.ms", 0, "1")),
                AlterResource(schema, ConfigSources.BrokerResource, "1", ("log.retention.ms", 0, "1"))))));
            Assert.Equal([Error(ErrorCode.None), Error(ErrorCode.InvalidConfig), Error(ErrorCode.UnknownTopicOrPartition), Error(ErrorCode.InvalidRequest)], Errors(response));

            var configs = await DescribeTopicAsync("replaced");
            Assert.Equal(segment, configs["segment.bytes"].Get<string>("Value"));
            // Not named, so back to its default.
            Assert.Equal(ConfigSources.DefaultConfig, configs["retention.ms"].Get<sbyte>("ConfigSource"));
        }

        var validateOnly = Build(schema, ("Resources", Array(AlterResource(schema, ConfigSources.TopicResource, "replaced", ("segment.bytes", 0, "99999")))), ("ValidateOnly", true));
        Assert.Equal([Error(ErrorCode.None)], Errors(await CallAsync(AlterConfigsApi.Declaration, 1, validateOnly)));
        Assert.Equal("16385", (await DescribeTopicAsync("replaced"))["segment.bytes"].Get<string>("Value"));
    }

    [Fact]
    public async Task IncrementalAlterConfigs_sets_deletes_appends_and_subtracts_at_every_version()
    {
        await CreateTopicsAsync(1, NewTopic(CreateTopicsApi.Declaration.Request, "tuned", 1, 1, ("retention.ms", "1000")));
        var schema = IncrementalAlterConfigsApi.Declaration.Request;
        Task<MessageStruct> AlterAsync(short version, params MessageStruct[] resources) => CallAsync(IncrementalAlterConfigsApi.Declaration, version, Build(schema, ("Resources", resources.Cast<object?>().ToArray())));
        const sbyte set = 0, delete = 1, append = 2, subtract = 3;

        for (short version = 0; version <= 1; version++)
        {
            var response = await AlterAsync(version,
                AlterResource(schema, ConfigSources.TopicResource, "tuned", ("segment.bytes", set, "32768"), ("retention.ms", delete, null), ("cleanup.policy", append, "compact")));
            Assert.Equal([Error(ErrorCode.None)], Errors(response));
            var configs = await DescribeTopicAsync("tuned");
            Assert.Equal("32768", configs["segment.bytes"].Get<string>("Value"));
            Assert.Equal(ConfigSources.DefaultConfig, configs["retention.ms"].Get<sbyte>("ConfigSource"));
            Assert.Equal("delete,compact", configs["cleanup.policy"].Get<string>("Value"));

            Assert.Equal([Error(ErrorCode.None)], Errors(await AlterAsync(version, AlterResource(schema, ConfigSources.TopicResource, "tuned", ("cleanup.policy", subtract, "delete")))));
            Assert.Equal("compact", (await DescribeTopicAsync("tuned"))["cleanup.policy"].Get<string>("Value"));
            Assert.Equal([Error(ErrorCode.None)], Errors(await AlterAsync(version, AlterResource(schema, ConfigSources.TopicResource, "tuned", ("cleanup.policy", delete, null)))));
        }

        var refused = await AlterAsync(1,
            AlterResource(schema, ConfigSources.TopicResource, "tuned", ("segment.bytes", set, "tiny")),
            AlterResource(schema, ConfigSources.TopicResource, "tuned", ("no.such.setting", set, "1")),
            AlterResource(schema, ConfigSources.TopicResource, "tuned", ("retention.ms", append, "5")),
            AlterResource(schema, ConfigSources.TopicResource, "tuned", ("retention.ms", 9, "5")),
            AlterResource(schema, ConfigSources.TopicResource, "tuned", ("retention.ms", set, "5"), ("retention.ms", delete, null)),
            AlterResource(schema, ConfigSources.TopicResource, "tuned", ("retention.ms", set, null)),
            AlterResource(schema, ConfigSources.TopicResource, "untuned", ("retention.ms", set, "5")),
            AlterResource(schema, ConfigSources.BrokerResource, "1", ("log.retention.ms", set, "5")));
        Assert.Equal([
            Error(ErrorCode.InvalidConfig), Error(ErrorCode.InvalidConfig), Error(ErrorCode.InvalidConfig), Error(ErrorCode.InvalidRequest),
            Error(ErrorCode.InvalidRequest), Error(ErrorCode.InvalidRequest), Error(ErrorCode.UnknownTopicOrPartition), Error(ErrorCode.InvalidRequest)], Errors(refused));
        Assert.Equal("32768", (await DescribeTopicAsync("tuned"))["segment.bytes"].Get<string>("Value"));
    }

    [Fact]
    public async Task DeleteRecords_moves_the_log_start_at_every_version()
    {
        await CreateTopicsAsync(1, NewTopic(CreateTopicsApi.Declaration.Request, "trimmed", 1, 1));
        using (var batch = new RecordBatchBuilder())
        {
            for (var i = 0; i < 10; i++) batch.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes($"v{i}"));
            var produced = await Node.Gateway.Ask<ProduceResponse>(new ProduceRequest("trimmed", 0, Acks.All, 10_000, -1, batch.Build()), TimeSpan.FromSeconds(20));
            Assert.Equal(ErrorCode.None, produced.Error);
        }
        var schema = DeleteRecordsApi.Declaration.Request;
        var topic = schema.ElementOf("Topics");
        MessageStruct Partitions(string name, params (int Partition, long Offset)[] partitions) => Build(topic, ("Name", name),
            ("Partitions", partitions.Select(p => (object?)Build(topic.ElementOf("Partitions"), ("PartitionIndex", p.Partition), ("Offset", p.Offset))).ToArray()));

        for (short version = 0; version <= 1; version++)
        {
            var offset = 3L + version;
            var response = await CallAsync(DeleteRecordsApi.Declaration, version, Build(schema,
                ("Topics", Array(Partitions("trimmed", (0, offset), (5, 1)), Partitions("untrimmed", (0, 1)))), ("TimeoutMs", 30_000)));
            var topics = ByName(response, "Topics");
            var trimmed = topics["trimmed"].Get<object?[]>("Partitions").Cast<MessageStruct>().ToDictionary(p => p.Get<int>("PartitionIndex"));
            Assert.Equal(Error(ErrorCode.None), trimmed[0].Get<short>("ErrorCode"));
            Assert.Equal(offset, trimmed[0].Get<long>("LowWatermark"));
            Assert.Equal(Error(ErrorCode.UnknownTopicOrPartition), trimmed[5].Get<short>("ErrorCode"));
            Assert.Equal(Error(ErrorCode.UnknownTopicOrPartition),
                ((MessageStruct)topics["untrimmed"].Get<object?[]>("Partitions")[0]!).Get<short>("ErrorCode"));
        }

        var beyond = await CallAsync(DeleteRecordsApi.Declaration, 1, Build(schema, ("Topics", Array(Partitions("trimmed", (0, 11))))));
        var result = (MessageStruct)((MessageStruct)beyond.Get<object?[]>("Topics")[0]!).Get<object?[]>("Partitions")[0]!;
        Assert.Equal(Error(ErrorCode.OffsetOutOfRange), result.Get<short>("ErrorCode"));
        var toEnd = await CallAsync(DeleteRecordsApi.Declaration, 1, Build(schema, ("Topics", Array(Partitions("trimmed", (0, -1))))));
        Assert.Equal(10L, ((MessageStruct)((MessageStruct)toEnd.Get<object?[]>("Topics")[0]!).Get<object?[]>("Partitions")[0]!).Get<long>("LowWatermark"));
    }

    [Fact]
    public async Task DescribeCluster_names_the_cluster_its_controller_and_the_brokers_kafka_address()
    {
        var response = await CallAsync(DescribeClusterApi.Declaration, 0, DescribeClusterApi.Declaration.Request.NewDefault());
        Assert.Equal(Error(ErrorCode.None), response.Get<short>("ErrorCode"));
        Assert.Equal(Node.Metadata.Current.ClusterId, response.Get<string>("ClusterId"));
        Assert.NotEmpty(response.Get<string>("ClusterId"));
        Assert.Equal(1, response.Get<int>("ControllerId"));
        var only = (MessageStruct)Assert.Single(response.Get<object?[]>("Brokers"))!;
        Assert.Equal((1, "127.0.0.1", broker.Port), (only.Get<int>("BrokerId"), only.Get<string>("Host"), only.Get<int>("Port")));
    }
}
