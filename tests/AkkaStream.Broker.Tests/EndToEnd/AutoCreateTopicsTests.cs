using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary><c>akkastream.auto-create-topics</c>: one broker per test, since each needs its own setting.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoCreateTopicsTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private BrokerNode? _node;

    private async Task<BrokerNode> Start(bool autoCreate, int replicationFactor = 1)
    {
        _node = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db"), null,
            $"akkastream.auto-create-topics = {(autoCreate ? "on" : "off")}",
            "akkastream.num-partitions = 3",
            $"akkastream.default-replication-factor = {replicationFactor}"));
        await Eventually.True(() => _node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
        return _node;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }

    private static async Task<TopicMetadata> Describe(BrokerNode node, string topic) =>
        (await node.Gateway.Ask<MetadataResponse>(new MetadataRequest([topic]), TimeSpan.FromSeconds(10))).Topics.Single();

    [Fact]
    public async Task On_a_produce_to_a_new_topic_creates_it_with_the_default_partition_count()
    {
        var node = await Start(autoCreate: true);
        await using var client = ClientFor.Create([node]);
        await using var producer = client.CreateProducer();

        var report = await producer.ProduceAsync("auto-made", "k", "v").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(report.Partition, 0, 2);
        Assert.Equal(3, node.Metadata.Current.Topics["auto-made"].Partitions.Count);
    }

    [Fact]
    public async Task On_an_invalid_name_is_refused_and_never_created()
    {
        var node = await Start(autoCreate: true);

        Assert.Equal(ErrorCode.InvalidTopicException, (await Describe(node, "no spaces!")).Error);
        // A valid name in the same state is created, so the invalid one was not merely slow.
        Assert.Equal(ErrorCode.LeaderNotAvailable, (await Describe(node, "valid-name")).Error);
        await Eventually.True(() => node.Metadata.Current.Topics.ContainsKey("valid-name"), TimeSpan.FromSeconds(10));
        Assert.False(node.Metadata.Current.Topics.ContainsKey("no spaces!"));
    }

    [Fact]
    public async Task On_a_replication_factor_above_the_live_brokers_is_reported_on_the_topic()
    {
        var node = await Start(autoCreate: true, replicationFactor: 2);

        Assert.Equal(ErrorCode.InvalidReplicationFactor, (await Describe(node, "too-replicated")).Error);
        Assert.False(node.Metadata.Current.Topics.ContainsKey("too-replicated"));
    }

    [Fact]
    public async Task Off_a_produce_to_an_unknown_topic_fails_and_creates_nothing()
    {
        var node = await Start(autoCreate: false);
        await using var client = ClientFor.Create([node]);
        await using var producer = client.CreateProducer(client.Settings.Producer with { DeliveryTimeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<AkkaStreamException>(
            () => producer.ProduceAsync("never-made", "k", "v").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Describe(node, "never-made")).Error);
        Assert.Empty(node.Metadata.Current.Topics);
    }
}
