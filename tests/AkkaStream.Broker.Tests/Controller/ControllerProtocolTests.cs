using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Controller;

/// <summary>The controller's administration protocol, through one broker's gateway.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ControllerProtocolTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly Dictionary<string, string> NoConfigs = [];
    private readonly TempDir _dir = new();
    private BrokerNode _node = null!;

    public async Task InitializeAsync() => _node = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db")));

    public async Task DisposeAsync()
    {
        await _node.StopAsync();
        _dir.Dispose();
    }

    private Task<T> Ask<T>(object request) => _node.Gateway.Ask<T>(request, Timeout);

    [Fact]
    public async Task Create_validates_names_counts_replication_and_configs()
    {
        Assert.Equal(ErrorCode.InvalidTopicException, (await Ask<CreateTopicResponse>(new CreateTopicRequest("bad name", 1, 1, NoConfigs))).Error);
        Assert.Equal(ErrorCode.InvalidPartitions, (await Ask<CreateTopicResponse>(new CreateTopicRequest("t", 0, 1, NoConfigs))).Error);
        var rf = await Ask<CreateTopicResponse>(new CreateTopicRequest("t", 1, 3, NoConfigs));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, rf.Error);
        Assert.Contains("live brokers", rf.ErrorMessage);
        var config = await Ask<CreateTopicResponse>(new CreateTopicRequest("t", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "x" }));
        Assert.Equal(ErrorCode.InvalidConfig, config.Error);
        Assert.Contains("retention.ms", config.ErrorMessage);

        var validated = await Ask<CreateTopicResponse>(new CreateTopicRequest("t", 1, 1, NoConfigs, ValidateOnly: true));
        Assert.Equal(ErrorCode.None, validated.Error);
        var created = await Ask<CreateTopicResponse>(new CreateTopicRequest("t", -1, -1, NoConfigs));
        Assert.Equal(ErrorCode.None, created.Error);
        Assert.Equal(ErrorCode.TopicAlreadyExists, (await Ask<CreateTopicResponse>(new CreateTopicRequest("t", 1, 1, NoConfigs))).Error);
    }

    [Fact]
    public async Task Alter_describe_add_partitions_and_delete()
    {
        Assert.Equal(ErrorCode.None, (await Ask<CreateTopicResponse>(new CreateTopicRequest("cfg", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" }))).Error);
        var altered = await Ask<AlterConfigsResponse>(new AlterConfigsRequest("cfg", new Dictionary<string, string> { ["segment.bytes"] = "4096" }, ["retention.ms"]));
        Assert.Equal(ErrorCode.None, altered.Error);
        Assert.Equal(ErrorCode.InvalidConfig, (await Ask<AlterConfigsResponse>(new AlterConfigsRequest("cfg", new Dictionary<string, string> { ["bogus"] = "1" }, []))).Error);
        var described = await Ask<DescribeConfigsResponse>(new DescribeConfigsRequest("cfg"));
        Assert.Contains(new ConfigEntry("segment.bytes", "4096", false), described.Entries);
        Assert.Contains(new ConfigEntry("retention.ms", "604800000", true), described.Entries);

        Assert.Equal(ErrorCode.InvalidPartitions, (await Ask<CreatePartitionsResponse>(new CreatePartitionsRequest("cfg", 1))).Error);
        Assert.Equal(ErrorCode.None, (await Ask<CreatePartitionsResponse>(new CreatePartitionsRequest("cfg", 3))).Error);
        await Eventually.True(() => _node.Metadata.Current.Topics.TryGetValue("cfg", out var t) && t.Partitions.Count == 3);
        var produced = await Eventually.Reply<ProduceResponse>(_node.Gateway, new ProduceRequest("cfg", 2, Acks.Leader, 5000, -1, Batches.Of("p2")), r => r.Error == ErrorCode.None);
        Assert.Equal(0, produced.BaseOffset);

        Assert.Equal(ErrorCode.None, (await Ask<DeleteTopicResponse>(new DeleteTopicRequest("cfg"))).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Ask<DeleteTopicResponse>(new DeleteTopicRequest("cfg"))).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Ask<DescribeConfigsResponse>(new DescribeConfigsRequest("cfg"))).Error);
        // Every broker deletes the logs of a deleted topic.
        await Eventually.True(() => !_node.Logs.Partitions.Any(p => p.Topic == "cfg"), because: "the logs of cfg are deleted");
        await Eventually.True(() => !Directory.Exists(Path.Combine(_node.Settings.DataDir, "cfg-2")));
    }

    [Fact]
    public async Task Create_answers_with_the_counts_and_settings_and_takes_a_manual_assignment()
    {
        var spread = await Ask<CreateTopicResponse>(new CreateTopicRequest("spread", 2, -1, new Dictionary<string, string> { ["retention.ms"] = "1000" }));
        Assert.Equal((ErrorCode.None, 2, (short)1), (spread.Error, spread.Partitions, spread.ReplicationFactor));
        Assert.Contains(new ConfigEntry("retention.ms", "1000", false), spread.Configs!);
        Assert.Contains(spread.Configs!, e => e is { Name: "segment.bytes", IsDefault: true });

        var placed = await Ask<CreateTopicResponse>(new CreateTopicRequest("placed", -1, -1, NoConfigs, Assignments: [[1], [1], [1]]));
        Assert.Equal((ErrorCode.None, 3, (short)1), (placed.Error, placed.Partitions, placed.ReplicationFactor));
        await Eventually.True(() => _node.Metadata.Current.Topics.TryGetValue("placed", out var t) && t.Partitions.All(p => p.Replicas.SequenceEqual([1])));

        var absent = await Ask<CreateTopicResponse>(new CreateTopicRequest("absent", -1, -1, NoConfigs, Assignments: [[2]]));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, absent.Error);
        Assert.Contains("broker 2", absent.ErrorMessage);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Ask<CreateTopicResponse>(new CreateTopicRequest("twice", -1, -1, NoConfigs, Assignments: [[1, 1]]))).Error);
        Assert.Equal(ErrorCode.InvalidRequest, (await Ask<CreateTopicResponse>(new CreateTopicRequest("disagree", 2, -1, NoConfigs, Assignments: [[1]]))).Error);

        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Ask<CreatePartitionsResponse>(new CreatePartitionsRequest("placed", 5, Assignments: [[1]]))).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Ask<CreatePartitionsResponse>(new CreatePartitionsRequest("placed", 4, Assignments: [[3]]))).Error);
        Assert.Equal(ErrorCode.None, (await Ask<CreatePartitionsResponse>(new CreatePartitionsRequest("placed", 4, Assignments: [[1]]))).Error);
        await Eventually.True(() => _node.Metadata.Current.Topics.TryGetValue("placed", out var t) && t.Partitions.Count == 4);
    }

    [Fact]
    public async Task Alter_with_replace_all_returns_unnamed_settings_to_their_defaults()
    {
        await Ask<CreateTopicResponse>(new CreateTopicRequest("whole", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" }));
        var replaced = await Ask<AlterConfigsResponse>(new AlterConfigsRequest("whole", new Dictionary<string, string> { ["segment.bytes"] = "4096" }, [], ReplaceAll: true));
        Assert.Equal(ErrorCode.None, replaced.Error);

        var described = await Ask<DescribeConfigsResponse>(new DescribeConfigsRequest("whole"));
        Assert.Contains(new ConfigEntry("segment.bytes", "4096", false), described.Entries);
        Assert.Contains(new ConfigEntry("retention.ms", "604800000", true), described.Entries);
    }
}
