using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.Listener;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>
/// Three brokers in one process (three ActorSystems on loopback, each with its Kafka listener on a
/// free port), sharing one SQLite journal in a temp directory, with short replication times.
/// Broker 1 starts first, so it is the oldest node and runs the controller.
/// </summary>
public sealed class KafkaCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Settings =
    [
        "akkastream.kafka.host = \"127.0.0.1\"",
        "akkastream.kafka.port = 0",
        "akkastream.default-replication-factor = 3",
        "akkastream.replica-lag-time-max = 5s",
        .. Nodes.QuickReplication,
    ];

    /// <summary>
    /// Akka.NET runs a system's coordinated shutdown when it is terminated (by default), and that
    /// leaves the cluster gracefully: its shards are handed off at once. With this setting a
    /// terminated system just stops, as a killed process would, and the others must notice and
    /// down it. A broker's own stop runs the coordinated shutdown itself, so it stays graceful.
    /// </summary>
    public const string TerminateAsCrash = "akka.coordinated-shutdown.run-by-actor-system-terminate = off";

    private readonly TempDir _dir = new();
    private readonly ITestOutputHelper _output;

    private KafkaCluster(ITestOutputHelper output) => _output = output;

    /// <summary>Brokers 1, 2 and 3, by index 0, 1 and 2.</summary>
    public List<KafkaBroker> Brokers { get; } = [];

    /// <summary>Every broker's Kafka address as started (a crashed one's too, as a client's configuration would keep it), for a client's bootstrap servers.</summary>
    public string Bootstrap { get; private set; } = "";

    /// <summary>Starts the brokers and waits until each one's metadata names the three Kafka listeners.</summary>
    public static async Task<KafkaCluster> StartAsync(ITestOutputHelper output, params string[] extraSettings)
    {
        var cluster = new KafkaCluster(output);
        for (var id = 1; id <= 3; id++)
        {
            var seed = id == 1 ? null : cluster.Brokers[0].Node.Cluster.SelfAddress.ToString();
            cluster.Brokers.Add(await KafkaBroker.StartAsync(Nodes.Config(cluster._dir.Sub($"node-{id}"), id, cluster._dir.Sub("cluster.db"), seed,
                [.. Settings, .. extraSettings])));
        }
        cluster.Bootstrap = string.Join(',', cluster.Brokers.Select(b => $"127.0.0.1:{b.Listener!.Port}"));
        await Eventually.True(() => cluster.Brokers.All(b => b.Node.Metadata.Current.Brokers.Count(i => i.KafkaPort > 0) == 3), Timeout,
            "every broker's metadata names three Kafka listeners");
        return cluster;
    }

    /// <summary>The broker with <paramref name="brokerId"/>.</summary>
    public KafkaBroker Broker(int brokerId) => Brokers.Single(b => b.Node.Settings.BrokerId == brokerId);

    /// <summary>
    /// Kills a broker as a crash would: its ActorSystem terminates without leaving the cluster (the
    /// others see it unreachable, and the split brain resolver downs it) and its Kafka listener's
    /// sockets close. The cluster must have been started with <see cref="TerminateAsCrash"/>.
    /// </summary>
    public async Task CrashAsync(int brokerId)
    {
        var victim = Broker(brokerId);
        await victim.Node.System.Terminate();
        await victim.Node.WhenReleased;
        await victim.Listener!.DisposeAsync();
        _output.WriteLine($"broker {brokerId} crashed");
    }

    /// <summary>The settings group tests start a cluster with: short session timeouts allowed, no initial rebalance delay, and brokers that crash.</summary>
    public static readonly string[] GroupSettings =
        ["akkastream.groups.min-session-timeout = 1s", "akkastream.groups.initial-rebalance-delay = 0s", TerminateAsCrash];

    /// <summary>Creates a topic with three replicas through broker 1 and waits until every partition has a leader and all three in sync.</summary>
    public async Task CreateReplicatedTopicAsync(string topic, int partitions)
    {
        var through = Broker(1).Node;
        var created = await Eventually.Reply<CreateTopicResponse>(through.Gateway, new CreateTopicRequest(topic, partitions, 3, new Dictionary<string, string>()),
            r => r.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists);
        Assert.Equal(topic, created.Name);
        await Eventually.True(() => through.Metadata.Current.Topics.TryGetValue(topic, out var t) && t.Partitions.All(p => p.Leader > 0 && p.Isr.Count == 3),
            Timeout, "every partition has a leader and three replicas in sync");
    }

    /// <summary>
    /// Crashes <paramref name="coordinator"/>, the broker hosting <paramref name="group"/>'s
    /// coordinator, and waits until broker 1 sees it unreachable (a crash, not a graceful leave:
    /// the survivors down it after the split brain resolver's stable-after) and then names another
    /// broker as the group's coordinator.
    /// </summary>
    public async Task CrashCoordinatorAsync(string group, int coordinator)
    {
        var survivor = Broker(1).Node;
        var victim = Broker(coordinator).Node.Cluster.SelfAddress;
        var crashed = DateTime.UtcNow;
        await CrashAsync(coordinator);
        await Eventually.True(() => survivor.Cluster.State.Unreachable.Any(m => m.Address == victim), Timeout, "broker 1 sees the crashed broker unreachable");
        var moved = await Eventually.Reply<FindCoordinatorResponse>(survivor.Gateway, new FindCoordinatorRequest(group),
            r => r.Error == ErrorCode.None && r.BrokerId != coordinator, Timeout);
        _output.WriteLine($"the group's coordinator moved to broker {moved.BrokerId} {(DateTime.UtcNow - crashed).TotalSeconds:0.0} s after the crash");
    }

    /// <summary>
    /// A group name, starting with <paramref name="prefix"/>, whose coordinator another broker than
    /// <paramref name="brokerId"/> hosts, and that broker. Right after start-up every new shard may
    /// still go to the first broker, because the others' shard regions have not registered yet. So
    /// new names are tried until one lands elsewhere, within <see cref="Timeout"/>.
    /// </summary>
    public async Task<(string Group, int Coordinator)> GroupNotCoordinatedByAsync(int brokerId, string prefix)
    {
        var deadline = DateTime.UtcNow + Timeout;
        for (var i = 0; DateTime.UtcNow < deadline; i++)
        {
            var group = $"{prefix}-{i}";
            var found = await Eventually.Reply<FindCoordinatorResponse>(Broker(brokerId).Node.Gateway, new FindCoordinatorRequest(group),
                r => r.Error == ErrorCode.None);
            if (found.BrokerId != brokerId) return (group, found.BrokerId);
            if (i % 10 == 9) await Task.Delay(200);
        }
        Assert.Fail($"every group tried within {Timeout.TotalSeconds} s is coordinated by broker {brokerId}");
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        // The last started first; one that does not stop in time is reported, not fatal.
        foreach (var broker in Enumerable.Reverse(Brokers))
        {
            try
            {
                await broker.StopAsync().WaitAsync(Timeout);
            }
            catch (Exception e)
            {
                _output.WriteLine($"stopping broker {broker.Node.Settings.BrokerId}: {e.Message}");
            }
        }
        _dir.Dispose();
    }
}
