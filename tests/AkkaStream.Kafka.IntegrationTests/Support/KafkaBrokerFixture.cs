using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.Listener;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>
/// One real broker with its Kafka listener, on free ports, with its data and SQLite journal in a
/// temp directory; shared by the test classes of <see cref="KafkaBrokerCollection"/>. Each test
/// creates topics of its own (through the gateway: the controller creates them), so tests do not
/// see each other's records.
/// </summary>
public sealed class KafkaBrokerFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public KafkaBroker Broker { get; private set; } = null!;

    public int Port => Broker.Listener!.Port;

    public string BootstrapServers => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var config = Nodes.Config(_dir.Sub("data"), 1, _dir.Sub("cluster.db"), null,
            "akkastream.kafka.host = \"127.0.0.1\"", "akkastream.kafka.port = 0",
            // Group tests use short sessions, and a group's first join need not wait for more members.
            "akkastream.groups.min-session-timeout = 1s", "akkastream.groups.initial-rebalance-delay = 0s",
            // Refused frames' event lines (Warning), for the connection tests.
            EventLineCapture.Logger);
        Broker = await KafkaBroker.StartAsync(config);
        await Eventually.True(() => Broker.Node.Metadata.Current.Brokers.Any(b => b.KafkaPort == Port), TimeSpan.FromSeconds(60),
            "the metadata names the broker's Kafka listener");
    }

    /// <summary>Creates a topic and waits until every partition's leader answers.</summary>
    public async Task<string> CreateTopicAsync(string prefix, int partitions = 1, IReadOnlyDictionary<string, string>? configs = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 200)];
        var created = await Eventually.Reply<CreateTopicResponse>(Broker.Node.Gateway,
            new CreateTopicRequest(name, partitions, 1, configs ?? new Dictionary<string, string>()),
            r => r.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists);
        Assert.Equal(name, created.Name);
        for (var p = 0; p < partitions; p++)
        {
            await Eventually.Reply<ListOffsetsResponse>(Broker.Node.Gateway, new ListOffsetsRequest(name, p, ListOffsetsRequest.Latest, -1),
                r => r.Error == ErrorCode.None);
        }
        return name;
    }

    public async Task DisposeAsync()
    {
        await Broker.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _dir.Dispose();
    }
}

/// <summary>The tests that share one broker; they run one at a time (the machine has two cores).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KafkaBrokerCollection : ICollectionFixture<KafkaBrokerFixture>
{
    public const string Name = "kafka-broker";
}
