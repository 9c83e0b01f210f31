using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Event;
using Akka.Pattern;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Groups;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Membership;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Broker.Partitions;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Routing;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// One running broker: its ActorSystem (named <c>akkastream</c>, roles <c>broker</c> and
/// <c>broker-id-&lt;N&gt;</c>), its data-directory lock, its log manager, and the well-known actors
/// (<c>/user/gateway</c>, <c>/user/metadata</c>, the controller singleton, the <c>partition</c>
/// and <c>group</c> shard regions, <c>/user/group-listing</c>, <c>/user/replica-fetch</c> where followers fetch, <c>/user/replicas</c>,
/// this broker's followers, and <c>/user/membership</c>, the cluster tooling). Stopping runs Akka's coordinated shutdown: the gateway stops taking requests,
/// the shard region hands its entities off (they give their logs back), the node leaves the
/// cluster, and the logs are closed cleanly.
/// </summary>
public sealed class BrokerNode : IAsyncDisposable
{
    public const string ControllerManagerName = "controller";
    public const string ControllerProxyName = "controller-proxy";

    private readonly DataDirectoryLock _lock;
    private readonly object _releaseGate = new();
    private bool _released;
    private Task _whenReleased = Task.CompletedTask;

    private BrokerNode(ActorSystem system, BrokerSettings settings, DataDirectoryLock dataLock, LogManager logs, MetadataView metadata)
    {
        System = system;
        Settings = settings;
        _lock = dataLock;
        Logs = logs;
        Metadata = metadata;
    }

    public ActorSystem System { get; }

    public BrokerSettings Settings { get; }

    public LogManager Logs { get; }

    /// <summary>The node's latest metadata from the controller.</summary>
    public MetadataView Metadata { get; }

    /// <summary>This broker's Prometheus metrics, exported by the HTTP listener.</summary>
    public BrokerMetrics Metrics { get; } = new();

    public IActorRef Gateway { get; private set; } = ActorRefs.Nobody;

    public IActorRef ControllerProxy { get; private set; } = ActorRefs.Nobody;

    public IActorRef PartitionRegion { get; private set; } = ActorRefs.Nobody;

    /// <summary>The <c>group</c> shard region: one coordinator entity per consumer group.</summary>
    public IActorRef GroupRegion { get; private set; } = ActorRefs.Nobody;

    public Cluster Cluster => Cluster.Get(System);

    /// <summary>The path clients use to reach this broker's gateway.</summary>
    public string GatewayPath => Protocol.Messages.Gateway.PathFor(Settings.PublicHost, Cluster.SelfAddress.Port ?? Settings.ListenerPort);

    /// <summary>Completes when the ActorSystem has terminated (after <see cref="StopAsync"/>, or when the node was downed).</summary>
    public Task WhenTerminated => System.WhenTerminated;

    /// <summary>
    /// Completes once the system has terminated and the logs are closed (high watermarks
    /// checkpointed) and the data directory is unlocked, however the system stopped: only then may
    /// another broker in this process open the same data directory.
    /// </summary>
    public Task WhenReleased => _whenReleased;

    /// <summary>Starts a broker from a configuration loaded by <see cref="BrokerConfig"/>.</summary>
    /// <exception cref="BrokerConfigException">A bad setting, a data directory in use, or the Akka.Remote port taken.</exception>
    public static async Task<BrokerNode> StartAsync(Config config)
    {
        var settings = BrokerSettings.Create(config);
        var dataLock = DataDirectoryLock.Acquire(settings.DataDir);
        ActorSystem? system = null;
        try
        {
            // Before the ActorSystem exists: a taken port then stops start-up with nothing to stop.
            PortCheck.EnsureFree(BrokerSettings.Root + ".listener.port", settings.ListenerHost, settings.ListenerPort);
            ClusterJournal.Prepare(settings);
            system = ActorSystem.Create(Protocol.Messages.Gateway.SystemName, AkkaConfig.For(settings, config));
            var log = Logging.GetLogger(system, typeof(BrokerNode));
            var logs = LogManager.Open(settings.DataDir, settings.TopicDefaults, settings.CleanerEnabled ? settings.CleanerOptions : null,
                settings.MaintenanceInterval, settings.RecoveryThreads, new AkkaLogger(Logging.GetLogger(system, typeof(LogManager))),
                settings.Replication.HighWatermarkCheckpointInterval, settings.BrokerId);
            var node = new BrokerNode(system, settings, dataLock, logs, new MetadataView());
            await node.StartActorsAsync();
            node.RegisterStateMetrics();
            node.RegisterShutdown();
            var cluster = node.Cluster;
            if (system.Settings.Config.GetStringList("akka.cluster.seed-nodes").Count == 0)
            {
                // No seed nodes configured: this broker starts a cluster of its own.
                cluster.Join(cluster.SelfAddress);
            }
            log.Info("Broker {0} started: gateway at {1}, data in {2}", settings.BrokerId, node.GatewayPath, settings.DataDir);
            return node;
        }
        catch
        {
            if (system is not null) await system.Terminate();
            dataLock.Dispose();
            throw;
        }
    }

    /// <summary>Stops gracefully: stops taking requests, hands entities off, leaves the cluster, closes the logs.</summary>
    public async Task StopAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await System.WhenTerminated;
        Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (!System.WhenTerminated.IsCompleted)
        {
            await StopAsync();
        }
        Release();
    }

    /// <summary>
    /// How long a metadata request waits for the controller to create its unknown topics: under the
    /// client's per-gateway metadata wait (3 s), since the answer is a retriable error anyway.
    /// </summary>
    private TimeSpan AutoCreateWait => Settings.AdminTimeout < TimeSpan.FromSeconds(2) ? Settings.AdminTimeout : TimeSpan.FromSeconds(2);

    /// <summary>How long the cluster tooling waits for each node's shard statistics and reachability: well under the client's ask.</summary>
    private TimeSpan MembershipStatsTimeout => Settings.AdminTimeout < TimeSpan.FromSeconds(6) ? Settings.AdminTimeout / 2 : TimeSpan.FromSeconds(3);

    private async Task StartActorsAsync()
    {
        var controllerProps = BackoffSupervisor.Props(Backoff.OnStop(ControllerActor.Props(Settings, Metrics), "controller",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, maxNrOfRetries: -1));
        System.ActorOf(ClusterSingletonManager.Props(controllerProps, PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(System).WithRole(BrokerSettings.BrokerRole).WithSingletonName("controller")), ControllerManagerName);
        ControllerProxy = System.ActorOf(ClusterSingletonProxy.Props($"/user/{ControllerManagerName}",
            ClusterSingletonProxySettings.Create(System).WithRole(BrokerSettings.BrokerRole).WithSingletonName("controller")), ControllerProxyName);
        var cache = System.ActorOf(MetadataCache.Props(Metadata, Logs, ControllerProxy, Settings.MetadataRefreshInterval,
            Settings.AutoCreateTopics ? AutoCreateWait : null), MetadataCache.ActorName);
        var brokerId = Settings.BrokerId;
        var metadata = Metadata;
        var logs = Logs;
        var controller = ControllerProxy;
        var replication = Settings.Replication;
        var metrics = Metrics;
        PartitionRegion = await ClusterSharding.Get(System).StartAsync(PartitionEntity.TypeName,
            entityId => PartitionEntity.Props(entityId, brokerId, metadata, logs, controller, replication, metrics),
            ClusterShardingSettings.Create(System).WithRole(BrokerSettings.BrokerRole),
            new PartitionMessageExtractor(), new BrokerShardAllocationStrategy(), PartitionEntity.Stop.Instance);
        var groups = Settings.Groups;
        // Akka's default allocation spreads the groups' shards over the brokers.
        GroupRegion = await ClusterSharding.Get(System).StartAsync(GroupEntity.TypeName,
            groupId => GroupEntity.Props(groupId, brokerId, metadata, groups, metrics),
            ClusterShardingSettings.Create(System).WithRole(BrokerSettings.BrokerRole),
            new GroupMessageExtractor(groups.Shards), ClusterSharding.Get(System).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(System)),
            GroupEntity.Stop.Instance);
        var groupListing = System.ActorOf(GroupListing.Props(GroupRegion, ClusterJournal.ReadJournalId, Settings.AdminTimeout), GroupListing.ActorName);
        System.ActorOf(ReplicaFetchServer.Props(brokerId, Metadata, PartitionRegion), ReplicaFetchServer.ActorName);
        System.ActorOf(ReplicaManager.Props(brokerId, Metadata, Logs, replication, Metrics.Topics), ReplicaManager.ActorName);
        var regions = new Dictionary<string, IActorRef> { [PartitionEntity.TypeName] = PartitionRegion, [GroupEntity.TypeName] = GroupRegion };
        var membership = System.ActorOf(MembershipActor.Props(Metadata, regions, MembershipStatsTimeout), MembershipActor.ActorName);
        Gateway = System.ActorOf(GatewayActor.Props(brokerId, Metadata, PartitionRegion, cache, ControllerProxy, Settings.AdminTimeout,
            GroupRegion, groupListing, membership, Metrics.GatewayRequests),
            Protocol.Messages.Gateway.ActorName);
    }

    /// <summary>The gauges computed when scraped, from this node's metadata, logs and group entities.</summary>
    private void RegisterStateMetrics()
    {
        PartitionStateGauges.Register(Metrics, Settings.BrokerId, Metadata, Logs);
        GroupLagGauge.Register(Metrics, System, GroupRegion, Settings.BrokerId, Metadata, Logs, Settings.AdminTimeout);
    }

    private void RegisterShutdown()
    {
        var shutdown = CoordinatedShutdown.Get(System);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-gateway", async () =>
        {
            try
            {
                await Gateway.GracefulStop(TimeSpan.FromSeconds(5));
            }
            catch (TaskCanceledException)
            {
                // Stopped or not, shutdown goes on.
            }
            return Akka.Done.Instance;
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "close-logs", () =>
        {
            Release();
            return Task.FromResult(Akka.Done.Instance);
        });
        // A node that terminates without coordinated shutdown (downed, or terminated abruptly) still closes its logs.
        _whenReleased = System.WhenTerminated.ContinueWith(_ => Release(), TaskScheduler.Default);
    }

    /// <summary>
    /// Closes the logs, then unlocks the data directory. Shutdown and termination both call it; a
    /// second caller waits for the first to finish, so that <see cref="WhenReleased"/> never
    /// completes while the directory is still locked (as it did when a slow log close outlasted
    /// the shutdown phase). The directory is unlocked even if closing a log fails.
    /// </summary>
    private void Release()
    {
        lock (_releaseGate)
        {
            if (_released) return;
            _released = true;
            try
            {
                Logs.Dispose();
            }
            finally
            {
                _lock.Dispose();
            }
        }
    }
}
