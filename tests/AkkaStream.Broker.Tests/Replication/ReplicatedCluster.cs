using System.Diagnostics;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>
/// Three brokers in one process (three ActorSystems on loopback, one journal file) with short
/// replication timings, and what replication tests do to them: crash one, restart it on its data
/// directory, stop and resume a broker's fetching, read a replica's log.
/// </summary>
public sealed class ReplicatedCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Settings for tests that cut a broker off the network (<see cref="CutOffAsync"/>): Akka.Remote's
    /// throttler adapter on every connection, and a Split Brain Resolver that waits longer than such
    /// a test's cut, so that the cut-off broker keeps running (a short partition: the dangerous
    /// case, where a deposed leader still takes writes) instead of downing itself.
    /// </summary>
    public static readonly string[] PartitionableNetwork =
    [
        "akka.remote.dot-netty.tcp.applied-adapters = [trttl]",
        "akka.cluster.split-brain-resolver.stable-after = 120s",
    ];

    // Terminating a broker's system must be a crash: no graceful leave, no coordinated shutdown.
    private const string NoLeaveOnTerminate = "akka.coordinated-shutdown.run-by-actor-system-terminate = off";

    private readonly TempDir _dir = new();
    // Brokers 1-3 at start; broker 4 only when a test adds it.
    private readonly BrokerNode?[] _nodes = new BrokerNode?[5];
    private readonly ITestOutputHelper _output;
    private readonly string[] _settings;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ReplicatedCluster(ITestOutputHelper output, string[] settings)
    {
        _output = output;
        _settings = settings;
    }

    private string Journal => _dir.Sub("cluster.db");

    public IEnumerable<BrokerNode> Live => _nodes.OfType<BrokerNode>().Where(n => !n.WhenTerminated.IsCompleted);

    public BrokerNode Node(int id) => _nodes[id]!;

    /// <param name="lagTimeMax">akkastream.replica-lag-time-max for every broker.</param>
    /// <param name="extra">More settings for every broker (<c>key = value</c>).</param>
    public static async Task<ReplicatedCluster> StartAsync(ITestOutputHelper output, string lagTimeMax = "2s", params string[] extra)
    {
        var cluster = new ReplicatedCluster(output,
        [
            NoLeaveOnTerminate,
            "akkastream.default-replication-factor = 3",
            $"akkastream.replica-lag-time-max = {lagTimeMax}",
            .. Nodes.QuickReplication,
            .. extra,
        ]);
        await cluster.StartNode(1, seed: null);
        await cluster.StartNode(2, cluster.Node(1).Cluster.SelfAddress.ToString());
        await cluster.StartNode(3, cluster.Node(1).Cluster.SelfAddress.ToString());
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Brokers.Count == 3), TimeSpan.FromSeconds(40), "every broker sees three brokers");
        cluster.Log("three brokers up");
        return cluster;
    }

    public void Log(string what) => _output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    private async Task StartNode(int id, string? seed, params string[] extra) =>
        _nodes[id] = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub($"node-{id}"), id, Journal, seed, [.. _settings, .. extra]));

    /// <summary>Starts broker <paramref name="id"/> again on its data directory, joining through a live broker.</summary>
    public async Task RestartAsync(int id)
    {
        await StartNode(id, Live.First().Cluster.SelfAddress.ToString());
        Log($"broker {id} restarted");
    }

    /// <summary>Crashes every broker at once (a power cut): none sees another go, so the controller decides nothing meanwhile.</summary>
    public async Task CrashAllAsync()
    {
        var ids = Live.Select(n => n.Settings.BrokerId).ToList();
        await Task.WhenAll(ids.Select(id => Node(id).System.Terminate()));
        await Task.WhenAll(ids.Select(id => Node(id).WhenReleased));
        Log($"brokers {string.Join(",", ids)} crashed");
    }

    /// <summary>
    /// After <see cref="CrashAllAsync"/>: starts brokers <paramref name="ids"/> again on their data
    /// directories as a cluster the first one forms. Members become Up (and the controller starts)
    /// only once all of them joined, so the controller sees them live together and does not move
    /// a leadership to the first broker up.
    /// </summary>
    public async Task RestartTogetherAsync(params int[] ids)
    {
        var together = $"akka.cluster.min-nr-of-members = {ids.Length}";
        await StartNode(ids[0], seed: null, together);
        foreach (var id in ids.Skip(1)) await StartNode(id, Node(ids[0]).Cluster.SelfAddress.ToString(), together);
        await Eventually.True(() => ids.All(id => Node(id).Metadata.Current.Brokers.Count == ids.Length), TimeSpan.FromSeconds(40),
            $"brokers {string.Join(",", ids)} see each other");
        Log($"brokers {string.Join(",", ids)} restarted");
    }

    /// <summary>Starts a broker that was never part of the cluster (a new id, an empty data directory) and waits until every broker sees it.</summary>
    public async Task AddBrokerAsync(int id)
    {
        await StartNode(id, Live.First().Cluster.SelfAddress.ToString());
        var count = Live.Count();
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Brokers.Count == count), TimeSpan.FromSeconds(40), $"every broker sees broker {id}");
        Log($"broker {id} joined");
    }

    /// <summary>Terminates broker <paramref name="id"/>'s ActorSystem without leaving the cluster: the survivors see it unreachable, then down it.</summary>
    public async Task CrashAsync(int id)
    {
        await Node(id).System.Terminate();
        await Node(id).WhenReleased;
        Log($"broker {id} crashed");
    }

    /// <summary>Stops every follower of broker <paramref name="id"/> (its <c>/user/replicas</c>); the broker stays up.</summary>
    public async Task StopFetchingAsync(int id)
    {
        var replicas = await Node(id).System.ActorSelection($"/user/{ReplicaManager.ActorName}").ResolveOne(Timeout);
        await replicas.GracefulStop(Timeout);
        Log($"broker {id} stopped fetching");
    }

    public void ResumeFetching(int id)
    {
        var node = Node(id);
        node.System.ActorOf(ReplicaManager.Props(id, node.Metadata, node.Logs, node.Settings.Replication), ReplicaManager.ActorName);
        Log($"broker {id} fetches again");
    }

    /// <summary>
    /// Drops every message between broker <paramref name="id"/> and every other broker, both ways,
    /// while the connections stay open (needs <see cref="PartitionableNetwork"/>). Set on both ends,
    /// as Akka's TestConductor does, so that neither side delivers what was already in flight.
    /// </summary>
    public Task CutOffAsync(int id) => ThrottleAsync(id, Blackhole.Instance, "cut off");

    /// <summary>Ends <see cref="CutOffAsync"/>: messages flow again over the same connections.</summary>
    public Task HealAsync(int id) => ThrottleAsync(id, Unthrottled.Instance, "reconnected");

    private async Task ThrottleAsync(int id, ThrottleMode mode, string what)
    {
        var node = Node(id);
        foreach (var other in Live.Where(n => n != node))
        {
            Assert.True(await Transport(node).ManagementCommand(new SetThrottle(other.Cluster.SelfAddress, ThrottleTransportAdapter.Direction.Both, mode)));
            Assert.True(await Transport(other).ManagementCommand(new SetThrottle(node.Cluster.SelfAddress, ThrottleTransportAdapter.Direction.Both, mode)));
        }
        Log($"broker {id} {what}");
    }

    private static RemoteTransport Transport(BrokerNode node) => ((IRemoteActorRefProvider)((ExtendedActorSystem)node.System).Provider).Transport;

    /// <summary>Broker 1 starts the cluster and runs the controller; a victim that is another broker has its partitions moved at once.</summary>
    public int NotTheController() => Node(1).Metadata.Current.ControllerId % 3 + 1;

    public async Task<TopicState> CreateTopicAsync(string name, int partitions, short replicationFactor, Dictionary<string, string>? configs = null)
    {
        var created = await Live.First().Gateway.Ask<CreateTopicResponse>(
            new CreateTopicRequest(name, partitions, replicationFactor, configs ?? []), Timeout);
        Assert.Equal(ErrorCode.None, created.Error);
        await Eventually.True(() => Live.All(n => n.Metadata.Current.Topics.ContainsKey(name)));
        return Live.First().Metadata.Current.Topics[name];
    }

    public PartitionState Partition(string topic, int partition) => Live.First().Metadata.Current.Partition(topic, partition)!;

    /// <summary>Produces through the current leader's gateway (retrying while a leader starts), and returns its answer.</summary>
    public async Task<ProduceResponse> ProduceAsync(string topic, int partition, Acks acks, int timeoutMs, params string[] values)
    {
        var state = Partition(topic, partition);
        return await Node(state.Leader).Gateway.Ask<ProduceResponse>(
            new ProduceRequest(topic, partition, acks, timeoutMs, state.LeaderEpoch, Batches.Of(values)), Timeout);
    }

    /// <summary>
    /// Writes once to a new leader, after waiting until it serves with a request that writes
    /// nothing. Retrying the produce itself could append twice (an ask that timed out while the
    /// write was waiting for followers), and move the offsets a test checks.
    /// </summary>
    public async Task<ProduceResponse> ProduceOnceServedAsync(int leader, string topic, int partition, int leaderEpoch, Acks acks, params string[] values)
    {
        var gateway = Node(leader).Gateway;
        await Eventually.Reply<ListOffsetsResponse>(gateway, new ListOffsetsRequest(topic, partition, ListOffsetsRequest.Latest, leaderEpoch),
            r => r.Error == ErrorCode.None);
        return await gateway.Ask<ProduceResponse>(
            new ProduceRequest(topic, partition, acks, 20_000, leaderEpoch, Batches.Of(values)), TimeSpan.FromSeconds(30));
    }

    /// <summary>Everything broker <paramref name="id"/>'s replica of the partition holds: its bytes, and the records in them.</summary>
    public (byte[] Bytes, List<(long Offset, string Value)> Records) ReplicaLog(int id, string topic, int partition)
    {
        var log = Node(id).Logs.LogOf(new TopicPartition(topic, partition));
        if (log is null) return ([], []);
        using var read = log.Read(log.LogStartOffset, 64 << 20);
        var bytes = read.Records.ToArray();
        return (bytes, Batches.Read(bytes));
    }

    public long LogEnd(int id, string topic, int partition) =>
        Node(id).Logs.LogOf(new TopicPartition(topic, partition))?.LogEndOffset.Value ?? -1;

    public async ValueTask DisposeAsync()
    {
        await Brokers.StopAllAsync(Live, _output);
        _dir.Dispose();
    }
}
