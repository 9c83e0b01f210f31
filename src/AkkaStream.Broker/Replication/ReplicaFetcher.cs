using Akka.Actor;
using Akka.Event;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// The fetch session from this broker to one leader broker (Kafka's replica fetcher thread): every
/// partition this broker follows there travels in one <see cref="ReplicaFetchRequest"/> per round
/// trip, so replication costs one request per leader broker, not one per partition. One round is
/// in flight at a time; the leader holds it while nothing is new (long poll). Partitions this
/// broker follows outside their ISR wait for the broker's <see cref="ReplicationThrottle"/> when it
/// is on; the others never do. Owns the <see cref="FollowerPartition"/>s and their log leases; a
/// child of the <see cref="ReplicaManager"/>.
/// </summary>
public sealed class ReplicaFetcher : ReceiveActor, IWithTimers
{
    /// <summary>Follow <paramref name="Partition"/>, led by this fetcher's broker in <paramref name="LeaderEpoch"/>.</summary>
    public sealed record Follow(TopicPartition Partition, Guid TopicId, IReadOnlyDictionary<string, string> Configs, int LeaderEpoch);

    /// <summary>Stop following <paramref name="Partition"/> (it has another leader or epoch, or this broker leads it); the lease goes back.</summary>
    public sealed record Unfollow(TopicPartition Partition);

    /// <summary>Where the leader broker is (its Akka.Remote endpoint); until the first, nothing is fetched.</summary>
    public sealed record LeaderAt(BrokerInfo Broker);

    /// <summary>Asks how many partitions this session carries and where each one's log ends (tests, tooling).</summary>
    public sealed record GetState
    {
        public static readonly GetState Instance = new();
    }

    public sealed record State(int LeaderBroker, IReadOnlyDictionary<TopicPartition, long> LogEndOffsets);

    private sealed record FetchNow
    {
        public static readonly FetchNow Instance = new();
    }

    private sealed record RoundExpired(long Round);

    private readonly int _leaderBroker;
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly LogManager _logs;
    private readonly ReplicationThrottle _throttle;
    private readonly TopicMetrics _topics;
    // The partitions of the round in flight that this broker fetches outside their ISR: what they receive is charged to the throttle.
    private readonly HashSet<TopicPartition> _throttledInRound = [];
    private readonly ReplicationSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EventLog _events;
    private readonly Dictionary<TopicPartition, FollowerPartition> _partitions = [];
    private ActorSelection? _leader;
    private long _round;
    private bool _inFlight;

    public ReplicaFetcher(int leaderBroker, int selfBroker, MetadataView metadata, LogManager logs, ReplicationSettings settings, ReplicationThrottle throttle,
        TopicMetrics topics)
    {
        _topics = topics;
        _leaderBroker = leaderBroker;
        _selfBroker = selfBroker;
        _events = new EventLog(_log, selfBroker);
        _metadata = metadata;
        _logs = logs;
        _settings = settings;
        _throttle = throttle;
        Receive<Follow>(Start);
        Receive<Unfollow>(u => Stop(u.Partition, "unfollowed"));
        Receive<LeaderAt>(l =>
        {
            _leader = Context.ActorSelection(ReplicaFetchServer.PathOf(l.Broker, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.Protocol));
            MaybeFetch();
        });
        Receive<ReplicaFetchResponse>(Fetched);
        Receive<RoundExpired>(e =>
        {
            if (e.Round != _round || !_inFlight) return;
            _inFlight = false;
            MaybeFetch();
        });
        Receive<FetchNow>(_ => MaybeFetch());
        Receive<GetState>(_ => Sender.Tell(new State(_leaderBroker,
            _partitions.ToDictionary(kv => kv.Key, kv => kv.Value.Lease.Log.LogEndOffset.Value))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="throttle">The broker's quota for replicas outside the ISR (shared by its fetchers); null: none.</param>
    /// <param name="topics">Where the bytes appended as follower are counted; none exported when null.</param>
    public static Props Props(int leaderBroker, int selfBroker, MetadataView metadata, LogManager logs, ReplicationSettings settings, ReplicationThrottle? throttle = null,
        TopicMetrics? topics = null)
    {
        var quota = throttle ?? new ReplicationThrottle(settings.FollowerThrottledRate, Environment.TickCount64);
        var metrics = topics ?? BrokerMetrics.Unexported.Topics;
        return Akka.Actor.Props.Create(() => new ReplicaFetcher(leaderBroker, selfBroker, metadata, logs, settings, quota, metrics));
    }

    private void Start(Follow follow)
    {
        Stop(follow.Partition, "re-followed");
        try
        {
            var lease = _logs.Acquire(follow.Partition, follow.TopicId, follow.Configs, follow.LeaderEpoch);
            _partitions[follow.Partition] = new FollowerPartition(lease, follow.LeaderEpoch);
            _log.Info("Broker {0} follows {1} (epoch {2}) from broker {3}, from offset {4}",
                _selfBroker, follow.Partition, follow.LeaderEpoch, _leaderBroker, lease.Log.LogEndOffset);
        }
        catch (Exception e) when (e is AkkaStreamException or IOException or ObjectDisposedException)
        {
            // A newer owner holds the log (this broker leads a later epoch), or the node is stopping.
            _log.Info("Broker {0} does not follow {1} in epoch {2}: {3}", _selfBroker, follow.Partition, follow.LeaderEpoch, e.Message);
            Context.Parent.Tell(new ReplicaManager.FollowerStopped(follow.Partition, follow.LeaderEpoch));
        }
        MaybeFetch();
    }

    private void Stop(TopicPartition partition, string why)
    {
        if (_partitions.Remove(partition, out var follower))
        {
            _logs.Release(follower.Lease);
            _log.Debug("Broker {0} stops following {1}: {2}", _selfBroker, partition, why);
        }
    }

    private void MaybeFetch()
    {
        if (_inFlight || _leader is null || _partitions.Count == 0) return;
        var now = Environment.TickCount64;
        var fetches = new List<ReplicaFetchPartition>(_partitions.Count);
        var nextReady = long.MaxValue;
        var throttleWaitMs = _throttle.WaitMs(now);
        _throttledInRound.Clear();
        foreach (var follower in _partitions.Values)
        {
            if (follower.BackoffUntilMs > now)
            {
                nextReady = Math.Min(nextReady, follower.BackoffUntilMs);
                continue;
            }
            if (_throttle.IsOn && !InSync(follower.Partition))
            {
                if (throttleWaitMs > 0)
                {
                    nextReady = Math.Min(nextReady, now + throttleWaitMs);
                    continue;
                }
                _throttledInRound.Add(follower.Partition);
                fetches.Add(follower.NextFetch(_throttle.FetchBytes(_settings.FetchPartitionMaxBytes)));
                continue;
            }
            fetches.Add(follower.NextFetch(_settings.FetchPartitionMaxBytes));
        }
        if (fetches.Count == 0)
        {
            Timers.StartSingleTimer(nameof(FetchNow), FetchNow.Instance, TimeSpan.FromMilliseconds(Math.Max(1, nextReady - now)));
            return;
        }
        var waitMs = (int)_settings.FetchWaitMax.TotalMilliseconds;
        _inFlight = true;
        _round++;
        _leader.Tell(new ReplicaFetchRequest(_selfBroker, _round, waitMs, _settings.FetchMinBytes, _settings.FetchMaxBytes, fetches), Self);
        // A lost request or answer (the leader's node died, a dropped frame) must not stall the session.
        Timers.StartSingleTimer(nameof(RoundExpired), new RoundExpired(_round), TimeSpan.FromMilliseconds(waitMs) + TimeSpan.FromSeconds(5));
    }

    private void Fetched(ReplicaFetchResponse response)
    {
        if (response.Round != _round || !_inFlight) return;
        _inFlight = false;
        Timers.Cancel(nameof(RoundExpired));
        var now = Environment.TickCount64;
        var backoffUntil = now + (long)_settings.FetchBackoff.TotalMilliseconds;
        foreach (var data in response.Partitions)
        {
            if (_throttledInRound.Contains(data.Partition)) _throttle.Charge(data.Records.Length, now);
            if (!_partitions.TryGetValue(data.Partition, out var follower)) continue;
            FollowerPartition.Outcome outcome;
            var endBefore = follower.Lease.Log.LogEndOffset.Value;
            try
            {
                outcome = follower.Apply(data);
            }
            catch (Exception e) when (e is AkkaStreamException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                _log.Warning("Broker {0} could not apply the records of {1} from broker {2}: {3}", _selfBroker, data.Partition, _leaderBroker, e.Message);
                outcome = FollowerPartition.Outcome.BackOff;
            }
            switch (outcome)
            {
                case FollowerPartition.Outcome.Appended:
                    _topics.For(data.Partition.Topic).ReplicationBytesIn.Inc(data.Records.Length);
                    break;
                case FollowerPartition.Outcome.Revoked:
                    _log.Info("Broker {0} lost the log of {1} to a newer owner while following broker {2} in epoch {3}",
                        _selfBroker, data.Partition, _leaderBroker, follower.LeaderEpoch);
                    Stop(data.Partition, "its log has a newer owner");
                    Context.Parent.Tell(new ReplicaManager.FollowerStopped(data.Partition, follower.LeaderEpoch));
                    break;
                case FollowerPartition.Outcome.BackOff:
                    if (data.Error is not (ErrorCode.None or ErrorCode.UnknownLeaderEpoch or ErrorCode.LeaderNotAvailable))
                    {
                        _log.Debug("Broker {0}: fetching {1} from broker {2}: {3} {4}", _selfBroker, data.Partition, _leaderBroker, data.Error, data.ErrorMessage);
                    }
                    follower.BackoffUntilMs = backoffUntil;
                    break;
                case FollowerPartition.Outcome.Truncated:
                    _events.Write(TruncationLine(follower, data, endBefore));
                    break;
            }
        }
        MaybeFetch();
    }

    /// <summary>
    /// The log-truncated line: <c>diverged</c> when this replica held records the leader never had
    /// at those offsets (a deposed leader's unreplicated tail, an unclean election's loser);
    /// <c>behind-log-start</c> when what it lacks is gone from the leader and it starts over there;
    /// <c>past-leader-end</c> when it is longer than the leader's log.
    /// </summary>
    private EventLine TruncationLine(FollowerPartition follower, ReplicaPartitionData data, long endBefore)
    {
        var endAfter = follower.Lease.Log.LogEndOffset.Value;
        var reason = data.IsDiverging ? "diverged" : endAfter > endBefore ? "behind-log-start" : "past-leader-end";
        return EventLine.Info("log-truncated").Partition(data.Partition).Epoch(follower.LeaderEpoch)
            .With("from", endBefore).With("to", endAfter).With("leader", _leaderBroker).With("reason", reason);
    }

    /// <summary>Whether this broker is in the partition's ISR, as the latest metadata has it (a follower outside it may be throttled).</summary>
    private bool InSync(TopicPartition partition) =>
        _metadata.Current.Partition(partition.Topic, partition.Partition)?.Isr.Contains(_selfBroker) == true;

    protected override void PostStop()
    {
        foreach (var follower in _partitions.Values) _logs.Release(follower.Lease);
        _partitions.Clear();
    }
}
