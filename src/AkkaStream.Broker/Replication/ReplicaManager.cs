using Akka.Actor;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// Decides what this broker follows (<c>/user/replicas</c>): every partition with a replica here
/// whose leader is another broker, from each metadata snapshot (the metadata cache
/// publishes them on the event stream; a broker restarted on its data directory therefore
/// resumes as follower from the first snapshot it gets). Keeps one <see cref="ReplicaFetcher"/>
/// child per leader broker, tells it which partitions to follow and where its leader is, and
/// stops it when it has none. Owns the broker's <see cref="ReplicationThrottle"/>, which its fetchers share.
/// </summary>
public sealed class ReplicaManager : ReceiveActor, IWithTimers
{
    public const string ActorName = "replicas";

    /// <summary>Asks for the fetch sessions, answered with <see cref="Sessions"/> (tests, tooling).</summary>
    public sealed record GetSessions
    {
        public static readonly GetSessions Instance = new();
    }

    /// <summary>The fetcher of each leader broker this broker follows partitions of.</summary>
    public sealed record Sessions(IReadOnlyDictionary<int, IActorRef> FetcherByLeader);

    /// <summary>
    /// From a fetcher that stopped following <paramref name="Partition"/> in <paramref name="LeaderEpoch"/>
    /// without being told to: it could not take the log, or lost it. Followed again after the fetch
    /// backoff, if the metadata still says so, so that a replica never stays behind for want of a
    /// metadata change.
    /// </summary>
    public sealed record FollowerStopped(TopicPartition Partition, int LeaderEpoch);

    private sealed record FollowAgain
    {
        public static readonly FollowAgain Instance = new();
    }

    private readonly record struct Followed(int Leader, int Epoch);

    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly LogManager _logs;
    private readonly ReplicationSettings _settings;
    private readonly Dictionary<TopicPartition, Followed> _followed = [];
    private readonly Dictionary<int, IActorRef> _fetchers = [];
    private readonly ReplicationThrottle _throttle;
    private readonly TopicMetrics _topics;
    private long _version = -1;
    private int _generation;

    public ReplicaManager(int selfBroker, MetadataView metadata, LogManager logs, ReplicationSettings settings, TopicMetrics topics)
    {
        _topics = topics;
        _selfBroker = selfBroker;
        _metadata = metadata;
        _logs = logs;
        _settings = settings;
        _throttle = new ReplicationThrottle(settings.FollowerThrottledRate, Environment.TickCount64);
        Receive<MetadataSnapshot>(snapshot => Reconcile(snapshot));
        Receive<FollowerStopped>(Stopped);
        Receive<FollowAgain>(_ => Reconcile(_metadata.Current, again: true));
        Receive<GetSessions>(_ => Sender.Tell(new Sessions(new Dictionary<int, IActorRef>(_fetchers))));
    }

    /// <param name="topics">Where the followers count the bytes they fetch; none exported when null.</param>
    public static Props Props(int selfBroker, MetadataView metadata, LogManager logs, ReplicationSettings settings, TopicMetrics? topics = null)
    {
        var metrics = topics ?? BrokerMetrics.Unexported.Topics;
        return Akka.Actor.Props.Create(() => new ReplicaManager(selfBroker, metadata, logs, settings, metrics));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(MetadataSnapshot));
        Reconcile(_metadata.Current);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Stopped(FollowerStopped stopped)
    {
        if (_followed.TryGetValue(stopped.Partition, out var followed) && followed.Epoch == stopped.LeaderEpoch
            && _fetchers.TryGetValue(followed.Leader, out var fetcher) && fetcher.Equals(Sender))
        {
            _followed.Remove(stopped.Partition);
            Timers.StartSingleTimer(nameof(FollowAgain), FollowAgain.Instance, _settings.FetchBackoff);
        }
    }

    /// <param name="again">Also when this snapshot was seen before: to follow what a fetcher stopped.</param>
    private void Reconcile(MetadataSnapshot snapshot, bool again = false)
    {
        if (snapshot.Version <= _version && !again) return;
        _version = Math.Max(_version, snapshot.Version);
        var wanted = new Dictionary<TopicPartition, (TopicState Topic, PartitionState Partition)>();
        foreach (var topic in snapshot.Topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.Leader >= 0 && partition.Leader != _selfBroker && partition.Replicas.Contains(_selfBroker))
                {
                    wanted[new TopicPartition(topic.Name, partition.Partition)] = (topic, partition);
                }
            }
        }
        foreach (var (partition, followed) in _followed.ToList())
        {
            if (!wanted.TryGetValue(partition, out var want) || want.Partition.Leader != followed.Leader || want.Partition.LeaderEpoch != followed.Epoch)
            {
                _fetchers[followed.Leader].Tell(new ReplicaFetcher.Unfollow(partition));
                _followed.Remove(partition);
            }
        }
        foreach (var (partition, (topic, state)) in wanted)
        {
            if (_followed.ContainsKey(partition)) continue;
            Fetcher(state.Leader).Tell(new ReplicaFetcher.Follow(partition, topic.Id, topic.Configs, state.LeaderEpoch));
            _followed[partition] = new Followed(state.Leader, state.LeaderEpoch);
        }
        var leaders = _followed.Values.Select(f => f.Leader).ToHashSet();
        foreach (var (leader, fetcher) in _fetchers.ToList())
        {
            if (!leaders.Contains(leader))
            {
                Context.Stop(fetcher);
                _fetchers.Remove(leader);
                continue;
            }
            // A leader missing from the live brokers (unreachable for a moment, or gone) keeps its
            // last address: the controller decides whether it still leads, and a follower that
            // stopped at every reachability flap would fall out of the ISR for nothing.
            if (snapshot.Brokers.FirstOrDefault(b => b.BrokerId == leader) is { } address)
            {
                fetcher.Tell(new ReplicaFetcher.LeaderAt(address));
            }
        }
    }

    private IActorRef Fetcher(int leader)
    {
        if (!_fetchers.TryGetValue(leader, out var fetcher))
        {
            fetcher = Context.ActorOf(ReplicaFetcher.Props(leader, _selfBroker, _metadata, _logs, _settings, _throttle, _topics), $"fetcher-{leader}-{++_generation}");
            _fetchers[leader] = fetcher;
        }
        return fetcher;
    }
}
