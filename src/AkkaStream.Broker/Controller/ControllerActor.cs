using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// The cluster's controller: a cluster singleton (role <c>broker</c>) and an event-sourced actor.
/// Owns the topics (ids, settings, replicas, leaders, epochs, ISR) and decides leaders from
/// cluster membership. Every decision is persisted before it is acted on; then the whole
/// metadata is pushed to every broker's <c>/user/metadata</c>. Each start persists the next
/// controller epoch, which is the high half of every metadata version it publishes.
/// </summary>
public sealed partial class ControllerActor : TimedPersistentActor, IWithTimers
{
    public const string PersistenceIdValue = "akkastream-controller";

    /// <summary>A metadata cache asks for the current snapshot (at start, or when it has none).</summary>
    public sealed record GetMetadata : IControllerMessage, Protocol.Serialization.IHyperionSerializable
    {
        public static readonly GetMetadata Instance = new();
    }

    /// <summary>Marker for the controller's internal protocol.</summary>
    public interface IControllerMessage;

    /// <summary>Time to move leadership back to preferred replicas (<c>akkastream.auto-leader-rebalance</c>).</summary>
    private sealed record RebalanceLeaders
    {
        public static readonly RebalanceLeaders Instance = new();
    }

    /// <summary>
    /// The grace for brokers that were not members when this controller started (a whole cluster
    /// restarting, brokers coming up one by one) is over: from now on they count as lost.
    /// </summary>
    private sealed record AbsentBrokersLost
    {
        public static readonly AbsentBrokersLost Instance = new();
    }

    /// <summary>A partition leader asks to change its ISR (see <see cref="IsrChanges"/>); answered with <see cref="IsrAltered"/>.</summary>
    public sealed record AlterIsr(string Topic, int Partition, int Leader, int LeaderEpoch, int[] Isr) : IControllerMessage, Protocol.Serialization.IHyperionSerializable;

    /// <summary>
    /// The answer to <see cref="AlterIsr"/>, sent once the change is persisted: the partition's
    /// epoch and ISR as the controller now has them (also when it refused: the leader then knows
    /// where it stands, and steps down on <c>FencedLeaderEpoch</c>), and the version of the
    /// metadata that holds them, so that the leader does not take an older snapshot's ISR after it.
    /// </summary>
    public sealed record IsrAltered(string Topic, int Partition, ErrorCode Error, string? ErrorMessage, int Leader, int LeaderEpoch, int[] Isr,
        long MetadataVersion) : Protocol.Serialization.IHyperionSerializable;

    private readonly BrokerSettings _settings;
    private readonly BrokerMetrics _metrics;
    private readonly ControllerState _state = new();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EventLog _events;
    private readonly long _startedAtMs = Environment.TickCount64;
    // Keyed by incarnation, not address: a broker killed and started again on the same host and
    // port is a new member, and the old incarnation's unreachability must not hide it.
    private readonly Dictionary<UniqueAddress, Member> _members = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];
    private Dictionary<int, BrokerInfo> _live = [];
    // Brokers seen in the cluster by this controller: once they leave it, they are lost at once.
    // Others, absent since it started, count as lost only after the grace (AbsentBrokersLost).
    private readonly HashSet<int> _seenBrokers = [];
    private bool _absentBrokersLost;
    private HashSet<int> _lost = [];
    private MetadataSnapshot? _published;
    private int _sequence;

    public ControllerActor(BrokerSettings settings, BrokerMetrics metrics)
    {
        _settings = settings;
        _events = new EventLog(_log, BrokerIdOf(_cluster.SelfMember) ?? -1);
        _metrics = metrics;
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ControllerSnapshot snapshot) _state.Apply(snapshot);
        });
        Recover<Serialization.IPersistedEvent>(_state.Apply);
        Recover<RecoveryCompleted>(_ => Start());
        Starting();
    }

    /// <param name="metrics">The hosting broker's metrics: the controller counts itself active there, and times its journal writes.</param>
    public static Props Props(BrokerSettings settings, BrokerMetrics? metrics = null)
    {
        var brokerMetrics = metrics ?? BrokerMetrics.Unexported;
        return Akka.Actor.Props.Create(() => new ControllerActor(settings, brokerMetrics));
    }

    public override string PersistenceId => PersistenceIdValue;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override JournalWriter JournalTimes => _metrics.Journal.Controller;

    protected override void PreStart()
    {
        _metrics.ActiveController.Inc();
        base.PreStart();
    }

    /// <summary>Persists the next controller epoch, then waits for the membership before deciding anything.</summary>
    private void Start()
    {
        var clusterId = _state.ClusterId.Length > 0 ? _state.ClusterId : Guid.NewGuid().ToString("N");
        Persist(new ControllerEpochStarted(_state.ControllerEpoch + 1, clusterId), e =>
        {
            _state.Apply(e);
            _events.Write(EventLine.Info("controller-recovered").With("controller-epoch", e.Epoch)
                .With("topics", _state.Topics.Count).With("partitions", _state.Topics.Values.Sum(t => t.Partitions.Count))
                .With("journal-events", LastSequenceNr).With("took-ms", Environment.TickCount64 - _startedAtMs));
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        });
    }

    private void Starting()
    {
        Command<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members) _members[member.UniqueAddress] = member;
            foreach (var member in state.Unreachable) _unreachable.Add(member.UniqueAddress);
            Become(Active);
            Stash.UnstashAll();
            MembershipChanged(force: true);
            // As long as a leader gives a silent follower (Kafka gives an unregistered broker its session).
            Timers.StartSingleTimer(nameof(AbsentBrokersLost), AbsentBrokersLost.Instance, _settings.Replication.LagTimeMax);
            if (_settings.AutoLeaderRebalance)
            {
                Timers.StartPeriodicTimer(nameof(RebalanceLeaders), RebalanceLeaders.Instance, _settings.LeaderImbalanceCheckInterval);
            }
        });
        CommandAny(_ => Stash.Stash());
    }

    private void Active()
    {
        Command<ClusterEvent.IMemberEvent>(e =>
        {
            if (e is ClusterEvent.MemberRemoved)
            {
                _members.Remove(e.Member.UniqueAddress);
                _unreachable.Remove(e.Member.UniqueAddress);
            }
            else
            {
                _members[e.Member.UniqueAddress] = e.Member;
            }
            MembershipChanged(force: false);
        });
        Command<ClusterEvent.UnreachableMember>(e =>
        {
            _unreachable.Add(e.Member.UniqueAddress);
            MembershipChanged(force: false);
        });
        Command<ClusterEvent.ReachableMember>(e =>
        {
            _unreachable.Remove(e.Member.UniqueAddress);
            MembershipChanged(force: false);
        });
        Command<AbsentBrokersLost>(_ =>
        {
            _absentBrokersLost = true;
            MembershipChanged(force: true);
        });
        Command<GetMetadata>(_ => Sender.Tell(Published()));
        Command<AlterIsr>(ChangeIsr);
        Command<RebalanceLeaders>(_ => ElectPreferred(null, null));
        Command<ElectLeadersRequest>(r => ElectPreferred(r.Topics, Sender));
        Command<AlterPartitionReassignmentsRequest>(Reassign);
        Command<ListPartitionReassignmentsRequest>(r => Sender.Tell(Reassignments.List(r, _state)));
        Command<InitProducerIdRequest>(_ => InitProducerId());
        Command<CreateTopicRequest>(r => Handle(r, () => TopicCommands.Create(r, _state, _live.Keys, _settings), r.ValidateOnly,
            e => TopicCommands.Created(e, _settings)));
        Command<DeleteTopicRequest>(r => Handle(r, () => TopicCommands.Delete(r, _state), false,
            _ => new DeleteTopicResponse(r.Name, ErrorCode.None, null)));
        Command<CreatePartitionsRequest>(r => Handle(r, () => TopicCommands.AddPartitions(r, _state, _live.Keys), r.ValidateOnly,
            _ => new CreatePartitionsResponse(r.Name, ErrorCode.None, null)));
        Command<AlterConfigsRequest>(r => Handle(r, () => TopicCommands.AlterConfigs(r, _state, _settings), r.ValidateOnly,
            _ => new AlterConfigsResponse(r.Name, ErrorCode.None, null)));
        Command<DescribeConfigsRequest>(r =>
        {
            try
            {
                Sender.Tell(TopicCommands.Describe(r, _state, _settings));
            }
            catch (AkkaStreamException e)
            {
                Sender.Tell(AdminReplies.Failed(r, e.Code, e.Message));
            }
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Saving the controller snapshot failed"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    /// <summary>Validates, persists, replies, then publishes; a refused request is answered with its error and changes nothing.</summary>
    private void Handle<TEvent>(object request, Func<TEvent> decide, bool validateOnly, Func<TEvent, object> reply)
        where TEvent : Serialization.IPersistedEvent
    {
        TEvent @event;
        try
        {
            @event = decide();
        }
        catch (AkkaStreamException e)
        {
            Sender.Tell(AdminReplies.Failed(request, e.Code, e.Message));
            return;
        }
        if (validateOnly)
        {
            Sender.Tell(reply(@event));
            return;
        }
        var sender = Sender;
        Persist(@event, e =>
        {
            _state.Apply(e);
            MaybeSnapshot();
            sender.Tell(reply(e));
            _log.Info("Controller: {0}", e.GetType().Name);
            Publish();
        });
    }

    private void ChangeIsr(AlterIsr request)
    {
        LeaderChanged? change;
        try
        {
            change = IsrChanges.Decide(request, _state, _live.Keys.ToHashSet());
        }
        catch (AkkaStreamException e)
        {
            var current = IsrChanges.Find(request.Topic, request.Partition, _state);
            Sender.Tell(new IsrAltered(request.Topic, request.Partition, e.Code, e.Message,
                current?.Leader ?? -1, current?.LeaderEpoch ?? -1, [.. current?.Isr ?? []], Published().Version));
            return;
        }
        if (change is null)
        {
            Sender.Tell(new IsrAltered(request.Topic, request.Partition, ErrorCode.None, null, request.Leader, request.LeaderEpoch, request.Isr,
                Published().Version));
            return;
        }
        var sender = Sender;
        // Persisted before anyone hears of it: the leader counts the new ISR only after this.
        Persist(change, e =>
        {
            _state.Apply(e);
            MaybeSnapshot();
            // The leader that asked writes the isr-shrunk or isr-expanded line: it knows the lag.
            _log.Debug("Controller: ISR of {0}-{1} is now [{2}]", e.Name, e.Partition.Partition, string.Join(",", e.Partition.Isr));
            var published = Publish();
            sender.Tell(new IsrAltered(e.Name, e.Partition.Partition, ErrorCode.None, null, e.Partition.Leader, e.Partition.LeaderEpoch, [.. e.Partition.Isr],
                published.Version));
            CompleteReassignments();
        });
    }

    /// <summary>Moves leadership to the preferred replicas of <paramref name="topics"/> (all when null) that can take it.</summary>
    private void ElectPreferred(IReadOnlyList<string>? topics, IActorRef? replyTo)
    {
        var unknown = topics?.FirstOrDefault(t => !_state.Topics.ContainsKey(t));
        if (unknown is not null)
        {
            replyTo?.Tell(new ElectLeadersResponse(ErrorCode.UnknownTopicOrPartition, $"topic '{unknown}' does not exist", 0));
            return;
        }
        var live = _live.Keys.ToHashSet();
        var elections = new List<LeaderChanged>();
        foreach (var topic in topics?.Select(t => _state.Topics[t]) ?? _state.Topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                if (LeaderElection.Preferred(partition, live) is { } elected) elections.Add(new LeaderChanged(topic.Name, elected));
            }
        }
        if (elections.Count == 0)
        {
            replyTo?.Tell(new ElectLeadersResponse(ErrorCode.None, null, 0));
            return;
        }
        _log.Debug("Controller: {0} partitions move back to their preferred leaders", elections.Count);
        PersistAll(elections, e =>
        {
            ApplyLeadership(e.Name, e.Partition, LeadershipEvents.PreferredLeader, () => _state.Apply(e));
            MaybeSnapshot();
            if (!ReferenceEquals(e, elections[^1])) return;
            Publish();
            replyTo?.Tell(new ElectLeadersResponse(ErrorCode.None, null, elections.Count));
        });
    }

    private void MembershipChanged(bool force)
    {
        var live = new Dictionary<int, BrokerInfo>();
        foreach (var member in _members.Values)
        {
            if (member.Status is not (MemberStatus.Up or MemberStatus.WeaklyUp) || _unreachable.Contains(member.UniqueAddress))
            {
                continue;
            }
            if (BrokerIdOf(member) is { } id && member.Address.Host is { } host && member.Address.Port is { } port)
            {
                KafkaListenerOptions.TryParseRole(member.Roles, out var kafkaHost, out var kafkaPort);
                live[id] = new BrokerInfo(id, host, port, kafkaHost, kafkaPort);
            }
        }
        // A crashed broker is first unreachable (no longer live), later removed (now lost): both count.
        var lost = LostBrokers();
        var changed = force || !live.Keys.ToHashSet().SetEquals(_live.Keys) || live.Values.Except(_live.Values).Any() || !lost.SetEquals(_lost);
        _live = live;
        _lost = lost;
        if (!changed)
        {
            return;
        }
        var liveIds = live.Keys.ToHashSet();
        var elections = new List<LeaderChanged>();
        foreach (var topic in _state.Topics.Values)
        {
            var unclean = topic.Configs.TryGetValue("unclean.leader.election.enable", out var v) && bool.TryParse(v, out var b) && b;
            foreach (var partition in topic.Partitions)
            {
                if ((LeaderElection.Elect(partition, liveIds, unclean) ?? IsrChanges.WithoutLostReplicas(partition, liveIds, lost)) is { } decided)
                {
                    elections.Add(new LeaderChanged(topic.Name, decided));
                }
            }
        }
        if (elections.Count == 0)
        {
            Publish();
            CompleteReassignments();
            return;
        }
        _log.Debug("Live brokers [{0}]: {1} partitions change leader or lose lost brokers from their ISR", string.Join(",", liveIds.Order()), elections.Count);
        PersistAll(elections, e =>
        {
            ApplyLeadership(e.Name, e.Partition, ElectionReason(e), () => _state.Apply(e));
            MaybeSnapshot();
            if (!ReferenceEquals(e, elections[^1])) return;
            Publish();
            CompleteReassignments();
        });
    }

    /// <summary>
    /// The replicas' brokers that count as lost: no longer in the cluster (left, downed or removed)
    /// after this controller saw them in it, or absent since it started, past the grace. A member
    /// that is only unreachable is not lost yet: its leaderships move at once, but it keeps its
    /// place in other ISRs until the Split Brain Resolver downs it (Kafka's session timeout plays
    /// that part), so that a short stall or a busy machine's missed heartbeats do not shrink ISRs.
    /// </summary>
    private HashSet<int> LostBrokers()
    {
        var present = _members.Values
            .Where(m => m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up)
            .Select(BrokerIdOf).OfType<int>().ToHashSet();
        _seenBrokers.UnionWith(present);
        return _state.Topics.Values.SelectMany(t => t.Partitions).SelectMany(p => p.Replicas)
            .Where(b => !present.Contains(b) && (_absentBrokersLost || _seenBrokers.Contains(b)))
            .ToHashSet();
    }

    /// <summary>Applies a persisted leadership decision and writes its event line (see <see cref="LeadershipEvents"/>).</summary>
    private void ApplyLeadership(string topic, Metadata.PartitionState after, string reason, Action apply)
    {
        var before = IsrChanges.Find(topic, after.Partition, _state);
        apply();
        _events.Write(LeadershipEvents.Describe(topic, before, after, reason));
    }

    /// <summary>Why a change of the live brokers moved this leadership: its leader went, or a replica of an offline partition came back.</summary>
    private string ElectionReason(LeaderChanged e) =>
        IsrChanges.Find(e.Name, e.Partition.Partition, _state)?.Leader is { } leader && leader != LeaderElection.NoLeader
            ? LeadershipEvents.BrokerLost
            : LeadershipEvents.ReplicaReturned;

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _settings.SnapshotEvery == 0)
        {
            SaveSnapshot(_state.ToSnapshot());
        }
    }

    private MetadataSnapshot Published() => _published ?? Publish(pushToBrokers: false);

    /// <summary>Builds the next metadata version and pushes it to every live broker's metadata cache.</summary>
    private MetadataSnapshot Publish(bool pushToBrokers = true)
    {
        var controllerId = BrokerIdOf(_cluster.SelfMember) ?? -1;
        _published = new MetadataSnapshot(_state.ClusterId, controllerId, _state.ControllerEpoch,
            MetadataSnapshot.VersionOf(_state.ControllerEpoch, ++_sequence),
            [.. _live.Values.OrderBy(b => b.BrokerId)],
            new Dictionary<string, TopicState>(_state.Topics));
        if (pushToBrokers)
        {
            foreach (var member in _members.Values)
            {
                if (member.Status is MemberStatus.Up or MemberStatus.WeaklyUp && !_unreachable.Contains(member.UniqueAddress))
                {
                    Context.ActorSelection(new RootActorPath(member.Address) / "user" / MetadataCache.ActorName).Tell(_published);
                }
            }
        }
        return _published;
    }

    /// <summary>The broker id a member's roles carry (<c>broker-id-N</c>), or null for a member that is not a broker.</summary>
    public static int? BrokerIdOf(Member member)
    {
        foreach (var role in member.Roles)
        {
            if (role.StartsWith("broker-id-", StringComparison.Ordinal) &&
                int.TryParse(role.AsSpan("broker-id-".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }
        return null;
    }

    protected override void PostStop()
    {
        _metrics.ActiveController.Dec();
        _cluster.Unsubscribe(Self);
        base.PostStop();
    }
}
