using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Groups;

/// <summary>
/// The coordinator of one consumer group: a sharded persistent entity (region type <c>group</c>,
/// entity id = the group id, persistence id <c>group-&lt;groupId&gt;</c>) wherever sharding places
/// its shard. Owns the group's <see cref="GroupCoordinator"/> and supplies what it lacks: time,
/// timers (the coordinator's next deadline, the offsets-retention check, idle passivation) and
/// persistence. Membership events are persisted before the replies they allow are sent; commits
/// are written with PersistAsync, so that the commits waiting in the mailbox go to the journal
/// together, and each is answered once its write is done. The state is recovered from the cluster
/// journal wherever the entity starts, so a group outlives its broker.
/// </summary>
public sealed class GroupEntity : TimedPersistentActor, IWithTimers
{
    public const string TypeName = "group";

    /// <summary>The hand-off and passivation stop message.</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    /// <summary>Asks for the group's line in ListGroups; answered with <see cref="OverviewReply"/>.</summary>
    public sealed record Overview : Protocol.Serialization.IHyperionSerializable
    {
        public static readonly Overview Instance = new();
    }

    /// <summary>The group's line in ListGroups; null when the group does not exist (never used, or dead).</summary>
    public sealed record OverviewReply(ListedGroup? Group) : Protocol.Serialization.IHyperionSerializable;

    private sealed record Tick : INotInfluenceReceiveTimeout
    {
        public static readonly Tick Instance = new();
    }

    private sealed record CheckRetention : INotInfluenceReceiveTimeout
    {
        public static readonly CheckRetention Instance = new();
    }

    private const string TickTimer = "tick";
    private const string RetentionTimer = "retention";

    private readonly string _groupId;
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly GroupSettings _settings;
    private readonly GroupCoordinator _coordinator;
    private readonly BrokerMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _eventsSinceSnapshot;
    private int _deletionsPending;

    public GroupEntity(string groupId, int selfBroker, MetadataView metadata, GroupSettings settings, BrokerMetrics metrics)
    {
        _groupId = groupId;
        _metrics = metrics;
        _selfBroker = selfBroker;
        _metadata = metadata;
        _settings = settings;
        _coordinator = new GroupCoordinator(groupId, settings, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        PersistenceId = "group-" + groupId;

        Recover<SnapshotOffer>(offer => _coordinator.Apply((GroupSnapshot)offer.Snapshot));
        Recover<IGroupEvent>(e =>
        {
            _coordinator.Apply(e);
            _eventsSinceSnapshot++;
        });
        Recover<RecoveryCompleted>(_ =>
        {
            _coordinator.RecoveryCompleted();
            Timers.StartPeriodicTimer(RetentionTimer, CheckRetention.Instance, settings.OffsetsRetentionCheckInterval);
            Context.SetReceiveTimeout(settings.PassivateIdleAfter);
            Self.Tell(CheckRetention.Instance);
            ScheduleTick();
        });

        Command<JoinGroupRequest>(r => Step(() => _coordinator.Join(r, Sender)));
        Command<SyncGroupRequest>(r => Step(() => _coordinator.Sync(r, Sender)));
        Command<HeartbeatRequest>(r => Step(() => _coordinator.Heartbeat(r, Sender)));
        Command<LeaveGroupRequest>(r => Step(() => _coordinator.Leave(r, Sender)));
        Command<DeleteGroupRequest>(r => Step(() => _coordinator.Delete(Sender), died: true));
        Command<OffsetCommitRequest>(Commit);
        Command<OffsetFetchRequest>(r => Sender.Tell(_coordinator.Fetch(r)));
        Command<DescribeGroupRequest>(_ => Sender.Tell(_coordinator.Describe()));
        Command<FindCoordinatorRequest>(r => Sender.Tell(new FindCoordinatorResponse(r.GroupId, ErrorCode.None, null, _selfBroker)));
        Command<Overview>(_ => Sender.Tell(new OverviewReply(_coordinator.IsKnown
            ? new ListedGroup(_groupId, _coordinator.Group.ProtocolType ?? "", _coordinator.Group.Phase.ToString())
            : null)));
        Command<Tick>(_ => Step(_coordinator.Tick));
        Command<CheckRetention>(_ => Step(() => _coordinator.ExpireOffsets(TopicExists()), died: true));
        Command<ReceiveTimeout>(_ => PassivateIfIdle());
        Command<DeleteMessagesSuccess>(_ => Deleted());
        Command<DeleteSnapshotsSuccess>(_ => Deleted());
        Command<DeleteMessagesFailure>(f => DeletionFailed(f.Cause));
        Command<DeleteSnapshotsFailure>(f => DeletionFailed(f.Cause));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("group {0}: snapshot not saved: {1}", _groupId, f.Cause.Message));
        Command<Stop>(_ => Context.Stop(Self));
    }

    /// <param name="metrics">The broker's metrics: journal writes, and the committed offsets its lag is computed from.</param>
    public static Props Props(string groupId, int selfBroker, MetadataView metadata, GroupSettings settings, BrokerMetrics? metrics = null)
    {
        var brokerMetrics = metrics ?? BrokerMetrics.Unexported;
        return Akka.Actor.Props.Create(() => new GroupEntity(groupId, selfBroker, metadata, settings, brokerMetrics));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override JournalWriter JournalTimes => _metrics.Journal.Group;

    /// <summary>
    /// Runs one coordinator step and carries out its effects: its events are persisted (awaited, so
    /// that nothing else happens to the group meanwhile), then its replies are sent. A step that
    /// may leave the group dead (deletion, retention) then deletes the group's journal.
    /// </summary>
    private void Step(Action step, bool died = false)
    {
        step();
        var effects = _coordinator.Drain();
        if (effects.Events.Count == 0)
        {
            Send(effects.Replies);
        }
        else
        {
            var written = 0;
            PersistAll(effects.Events, _ =>
            {
                if (++written < effects.Events.Count) return;
                Send(effects.Replies);
                CountEvents(effects.Events.Count);
                if (died && _coordinator.Group.Phase == GroupPhase.Dead) DeleteJournal();
            });
        }
        ScheduleTick();
    }

    private void Commit(OffsetCommitRequest request)
    {
        var decision = _coordinator.Commit(request, PartitionExists);
        var replyTo = Sender;
        if (decision.ToPersist is null)
        {
            replyTo.Tell(decision.Reply);
            return;
        }
        // No ScheduleTick here, on the commit path: a commit only refreshes its member's session,
        // which moves the next deadline later, never earlier. The running timer then fires early,
        // finds nothing due, and the tick reschedules it.
        PersistAsync(decision.ToPersist, e =>
        {
            _coordinator.Apply(e);
            replyTo.Tell(decision.Reply);
            CountEvents(1);
        });
    }

    private static void Send(IReadOnlyList<GroupReply> replies)
    {
        foreach (var reply in replies) ((IActorRef)reply.To).Tell(reply.Message);
    }

    private void CountEvents(int count)
    {
        _eventsSinceSnapshot += count;
        if (_eventsSinceSnapshot < _settings.SnapshotEvery) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(_coordinator.ToSnapshot());
    }

    private void ScheduleTick()
    {
        if (_coordinator.NextDeadlineMs is { } deadline)
        {
            var delay = Math.Max(deadline - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0) + 1;
            Timers.StartSingleTimer(TickTimer, Tick.Instance, TimeSpan.FromMilliseconds(delay));
        }
        else
        {
            Timers.Cancel(TickTimer);
        }
    }

    /// <summary>A dead group keeps nothing: its events and snapshots are deleted, then it stops.</summary>
    private void DeleteJournal()
    {
        _deletionsPending = 2;
        DeleteMessages(LastSequenceNr);
        DeleteSnapshots(new SnapshotSelectionCriteria(LastSequenceNr));
    }

    private void Deleted()
    {
        if (--_deletionsPending == 0) PassivateIfIdle();
    }

    private void DeletionFailed(Exception cause)
    {
        _log.Warning("group {0}: its journal was not deleted: {1}", _groupId, cause.Message);
        Deleted();
    }

    /// <summary>An idle group with no members stops; its state is all in the journal.</summary>
    private void PassivateIfIdle()
    {
        var group = _coordinator.Group;
        if (!group.IsEmpty || group.PendingMembers.Count > 0 || _deletionsPending > 0) return;
        Context.SetReceiveTimeout(null);
        Context.Parent.Tell(new Passivate(Stop.Instance));
    }

    private bool PartitionExists(string topic, int partition) => _metadata.Current.Partition(topic, partition) is not null;

    /// <summary>Which topics exist, once this broker has metadata from the controller (before that, nothing counts as deleted).</summary>
    private Func<string, bool>? TopicExists()
    {
        var snapshot = _metadata.Current;
        return snapshot.Version > 0 ? snapshot.Topics.ContainsKey : null;
    }
}
