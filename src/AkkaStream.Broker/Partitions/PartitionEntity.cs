using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// The leader of one partition for one leader epoch: a sharded persistent entity (region type
/// <c>partition</c>, id <see cref="PartitionEntityId"/>) on the broker its id names. Owns, while it
/// serves, the partition's log (leased from the node's <see cref="LogManager"/>), the fetches
/// waiting for data, the acks=all produces waiting for the high watermark, and its followers'
/// positions (see <c>PartitionEntity.Replication.cs</c>). Its journal (persistence id
/// <c>partition-&lt;topic&gt;-&lt;partition&gt;</c>, shared by every epoch) holds the leader-epoch history.
/// </summary>
/// <remarks>
/// Epochs decide who may write: an entity on the wrong broker, or whose epoch is older than the
/// local metadata's or the journal's, refuses every request with <c>NotLeaderOrFollower</c> and
/// passivates. Bad input never stops it: every <see cref="AkkaStreamException"/> becomes an error
/// reply with its code.
/// </remarks>
public sealed partial class PartitionEntity : TimedPersistentActor, IWithTimers
{
    public const string TypeName = "partition";

    /// <summary>The hand-off stop message: gives the log back and stops.</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    private sealed record FetchExpired(long Id);

    private readonly string _entityId;
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly LogManager _logs;
    private readonly BrokerMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EventLog _events;
    private readonly RefusedRequests _refused;
    private readonly long _createdAtMs = Environment.TickCount64;
    private readonly ParkedRequests<FetchRequest> _parked = new();
    private PartitionEntityId _id;
    private int _newestJournalEpoch = -1;
    private LogLease? _lease;
    private TopicMeters? _meters;
    private bool _passivating;
    private bool _leading;

    public PartitionEntity(string entityId, int selfBroker, MetadataView metadata, LogManager logs, IActorRef controller, ReplicationSettings replication,
        BrokerMetrics metrics)
    {
        _metrics = metrics;
        _entityId = entityId;
        _selfBroker = selfBroker;
        _metadata = metadata;
        _logs = logs;
        _controller = controller;
        _replication = replication;
        _events = new EventLog(_log, selfBroker);
        _refused = new RefusedRequests(_events);
        var parsed = PartitionEntityId.TryParse(entityId, out _id);
        PersistenceId = parsed ? $"partition-{_id.Partition.DirectoryName}" : $"partition-invalid-{entityId}";
        Recover<LeaderEpochStarted>(e => _newestJournalEpoch = Math.Max(_newestJournalEpoch, e.Epoch));
        Recover<RecoveryCompleted>(_ =>
        {
            if (!parsed)
            {
                Refuse(ErrorCode.InvalidRequest, $"'{entityId}' is not a partition entity id");
                return;
            }
            _events.Write(EventLine.Info("partition-recovered").Partition(_id.Partition).Epoch(_id.Epoch)
                .With("journal-epoch", _newestJournalEpoch).With("journal-events", LastSequenceNr)
                .With("took-ms", Environment.TickCount64 - _createdAtMs));
            Begin();
        });
    }

    /// <param name="controller">Where ISR changes are asked for (the controller singleton's proxy).</param>
    /// <param name="metrics">The broker's metrics (bytes in and out, ISR changes, journal writes); none exported when null.</param>
    public static Props Props(string entityId, int selfBroker, MetadataView metadata, LogManager logs, IActorRef? controller = null, ReplicationSettings? replication = null,
        BrokerMetrics? metrics = null)
    {
        var settings = replication ?? ReplicationSettings.Default;
        var controllerRef = controller ?? ActorRefs.Nobody;
        var brokerMetrics = metrics ?? BrokerMetrics.Unexported;
        return Akka.Actor.Props.Create(() => new PartitionEntity(entityId, selfBroker, metadata, logs, controllerRef, settings, brokerMetrics));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override JournalWriter JournalTimes => _metrics.Journal.Partition;

    private PartitionLogView Reader => new(_lease!);

    /// <summary>This partition's topic's counters, looked up once.</summary>
    private TopicMeters Meters => _meters ??= _metrics.Topics.For(_id.Partition.Topic);

    private void Begin()
    {
        if (_id.Broker != _selfBroker)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, $"{_entityId} belongs on broker {_id.Broker}, not broker {_selfBroker}");
            return;
        }
        if (StaleReason() is { } reason)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, reason);
            return;
        }
        if (_newestJournalEpoch > _id.Epoch)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, $"leader epoch {_newestJournalEpoch} of {_id.Partition} has already started; {_id.Epoch} is stale");
            return;
        }
        var topic = _metadata.Current.Topics[_id.Partition.Topic];
        try
        {
            _lease = _logs.Acquire(_id.Partition, topic.Id, topic.Configs, _id.Epoch);
        }
        catch (AkkaStreamException e)
        {
            Refuse(e.Code, e.Message);
            return;
        }
        if (_newestJournalEpoch == _id.Epoch)
        {
            Serve(); // the same epoch again (this broker restarted): its start is already recorded
            return;
        }
        Persist(new LeaderEpochStarted(_id.Epoch, _selfBroker, _lease.Log.LogEndOffset.Value), e =>
        {
            _newestJournalEpoch = e.Epoch;
            Serve();
        });
    }

    /// <summary>Why this entity may no longer lead, from the node's metadata; null while it may.</summary>
    private string? StaleReason()
    {
        var partition = _metadata.Current.Partition(_id.Partition.Topic, _id.Partition.Partition);
        if (partition is null)
        {
            return $"{_id.Partition} is not in this broker's metadata";
        }
        if (partition.LeaderEpoch > _id.Epoch || (partition.LeaderEpoch == _id.Epoch && partition.Leader != _selfBroker))
        {
            return $"{_id.Partition} is led by broker {partition.Leader} in epoch {partition.LeaderEpoch}; this is epoch {_id.Epoch}";
        }
        return null;
    }

    private void Serve()
    {
        StartReplication();
        _leading = true;
        _events.Write(EventLine.Info("leader-started").Partition(_id.Partition).Epoch(_id.Epoch)
            .With("log-end-offset", _lease!.Log.LogEndOffset.Value).With("high-watermark", _lease.HighWatermark.Value).With("isr", _tracker.Isr));
        Become(() =>
        {
            Command<ProduceRequest>(r => Guarded(r, r.LeaderEpoch, () => Produce(r)));
            Command<FetchRequest>(r => Guarded(r, r.LeaderEpoch, () => Fetch(r)));
            Command<ListOffsetsRequest>(r => Guarded(r, r.LeaderEpoch, () => ListOffsets(r)));
            Command<DeleteRecordsRequest>(r => Guarded(r, -1, () => DeleteRecords(r)));
            Command<OffsetForLeaderEpochRequest>(r => Guarded(r, r.CurrentLeaderEpoch, () => EndOffsetForEpoch(r)));
            Command<ReplicaFetch>(r => Guarded(r, r.Fetch.LeaderEpoch, () => AnswerFollower(r)));
            Command<ControllerActor.IsrAltered>(IsrAltered);
            Command<CheckIsr>(_ => CheckLeadership());
            Command<MetadataSnapshot>(MetadataChanged);
            Command<IsrChangeExpired>(e => IsrChangeTimedOut(e));
            Command<AcksExpired>(e => AcksTimedOut(e));
            Command<FetchExpired>(e =>
            {
                if (_parked.Take(e.Id) is { } parked) Answer(parked.ReplyTo, parked.Request);
            });
            Command<Stop>(_ => Context.Stop(Self));
        });
    }

    /// <summary>Refuses every request with <paramref name="error"/> and asks the shard to passivate this entity.</summary>
    private void Refuse(ErrorCode error, string reason)
    {
        if (_leading) StopLeading(reason);
        else _log.Debug("{0} refuses to serve: {1}", _entityId, reason);
        ReleaseLease();
        foreach (var parked in _parked.TakeAll())
        {
            Reject(parked.ReplyTo, parked.Request, error, reason);
        }
        FailWaitingAcks(error, reason);
        Become(() =>
        {
            Command<Stop>(_ => Context.Stop(Self));
            Command<FetchExpired>(_ => { });
            CommandAny(message => Reject(Sender, message, error, reason));
        });
        if (!_passivating)
        {
            _passivating = true;
            Context.Parent.Tell(new Passivate(Stop.Instance));
        }
    }

    /// <summary>Runs a request after the fencing checks; every failure becomes an error reply.</summary>
    private void Guarded(object request, int requestEpoch, Action handle)
    {
        if (_lease is null || _lease.IsRevoked)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, $"{_entityId} no longer holds the log of {_id.Partition}");
            Reject(Sender, request, ErrorCode.NotLeaderOrFollower, $"{_id.Partition} moved; refresh metadata");
            return;
        }
        if (StaleReason() is { } stale)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, stale);
            Reject(Sender, request, ErrorCode.NotLeaderOrFollower, stale);
            return;
        }
        if (requestEpoch >= 0 && requestEpoch < _id.Epoch)
        {
            Reject(Sender, request, ErrorCode.FencedLeaderEpoch,
                $"leader epoch {requestEpoch} is older than the current {_id.Epoch} of {_id.Partition}; refresh metadata");
            return;
        }
        if (requestEpoch > _id.Epoch)
        {
            var newer = $"leader epoch {requestEpoch} is newer than this leader's {_id.Epoch} of {_id.Partition}";
            Reject(Sender, request, ErrorCode.NotLeaderOrFollower, newer);
            // A follower's epoch comes from the controller: a newer one means this leader was replaced.
            if (request is ReplicaFetch) Refuse(ErrorCode.NotLeaderOrFollower, newer);
            return;
        }
        try
        {
            handle();
        }
        catch (AkkaStreamException e)
        {
            Reject(Sender, request, e.Code, e.Message, answer: request is not ProduceRequest { Acks: Acks.None });
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            var code = _lease.IsRevoked ? ErrorCode.NotLeaderOrFollower : ErrorCode.KafkaStorageError;
            _log.Warning(e, "{0}: {1} failed", _entityId, request.GetType().Name);
            Reject(Sender, request, code, e.Message, answer: request is not ProduceRequest { Acks: Acks.None });
        }
    }

    private void Produce(ProduceRequest request)
    {
        if (request.Acks is not (Acks.None or Acks.Leader or Acks.All))
        {
            throw new AkkaStreamException(ErrorCode.InvalidRequiredAcks, $"acks must be 0, 1 or -1, not {(short)request.Acks}");
        }
        if (request.Records is null || request.Records.Length == 0)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRecord, "the produce request holds no record batch");
        }
        if (request.Acks == Acks.All)
        {
            RequireMinInSyncReplicas(ErrorCode.NotEnoughReplicas, "before the append");
        }
        var lease = _lease!;
        var log = lease.Log;
        LogAppendInfo info;
        lock (lease.WriteLock)
        {
            // Checked under the lease's lock: once a newer owner took the log, not one more batch.
            if (lease.IsRevoked) throw new AkkaStreamException(ErrorCode.NotLeaderOrFollower, $"{_id.Partition} moved; refresh metadata");
            info = log.AppendAsLeader(request.Records, new LeaderEpoch(_id.Epoch));
        }
        if (info.IsDuplicate) _log.Debug("{0}: a producer's retry of offsets {1}-{2} acknowledged without appending", _entityId, info.FirstOffset, info.LastOffset);
        else Meters.Appended(info.Bytes, info.RecordCount);
        LeaderAppended();
        var response = new ProduceResponse(request.Topic, request.Partition, ErrorCode.None, null,
            info.FirstOffset.Value, info.LogAppendTime, log.LogStartOffset.Value);
        if (request.Acks == Acks.All)
        {
            AwaitReplication(request, response, info.LastOffset.Value);
        }
        else if (request.Acks == Acks.Leader)
        {
            Sender.Tell(response);
        }
    }

    private void Fetch(FetchRequest request)
    {
        if (request.MaxWaitMs <= 0 || request.MinBytes <= 0 || Reader.Satisfies(request))
        {
            Answer(Sender, request);
            return;
        }
        var parked = _parked.Park(Sender, request);
        Timers.StartSingleTimer(parked.Id, new FetchExpired(parked.Id), TimeSpan.FromMilliseconds(request.MaxWaitMs));
    }

    private void Answer(IActorRef replyTo, FetchRequest request)
    {
        // A parked fetch's timer may fire after the log manager handed the log to a newer leader
        // and closed this lease: the consumer is told to look elsewhere, the closed log is not read.
        if (_lease is null || _lease.IsRevoked)
        {
            Reject(replyTo, request, ErrorCode.NotLeaderOrFollower, $"{_id.Partition} moved; refresh metadata");
            return;
        }
        try
        {
            var response = Reader.Fetch(request);
            Meters.BytesOut.Inc(response.Records.Length);
            replyTo.Tell(response);
        }
        catch (AkkaStreamException e)
        {
            Reject(replyTo, request, e.Code, e.Message);
        }
    }

    private void ListOffsets(ListOffsetsRequest request)
    {
        var log = _lease!.Log;
        var offset = request.Timestamp switch
        {
            ListOffsetsRequest.Earliest => log.LogStartOffset.Value,
            ListOffsetsRequest.Latest => _lease.HighWatermark.Value,
            < 0 => throw new AkkaStreamException(ErrorCode.InvalidRequest, $"timestamp {request.Timestamp} is neither -2, -1 nor a time"),
            _ => log.OffsetForTimestamp(request.Timestamp)?.Value ?? -1,
        };
        Sender.Tell(new ListOffsetsResponse(request.Topic, request.Partition, ErrorCode.None, null, offset, _id.Epoch));
    }

    /// <summary>From the leader-epoch cache, as a follower's truncation check uses it; the current epoch ends at the log end.</summary>
    private void EndOffsetForEpoch(OffsetForLeaderEpochRequest request)
    {
        var log = _lease!.Log;
        var end = log.Epochs.EndOffsetFor(new LeaderEpoch(request.LeaderEpoch), log.LogEndOffset);
        Sender.Tell(end.IsUndefined
            ? new OffsetForLeaderEpochResponse(request.Topic, request.Partition, ErrorCode.None, null, -1, -1)
            : new OffsetForLeaderEpochResponse(request.Topic, request.Partition, ErrorCode.None, null, end.Epoch.Value, end.EndOffset.Value));
    }

    private void DeleteRecords(DeleteRecordsRequest request)
    {
        var highWatermark = _lease!.HighWatermark.Value;
        // Kafka: -1 means "up to the high watermark".
        var target = request.Offset == -1 ? highWatermark : request.Offset;
        if (target < 0 || target > highWatermark)
        {
            throw new AkkaStreamException(ErrorCode.OffsetOutOfRange,
                $"cannot delete records before {request.Offset}: the high watermark of {_id.Partition} is {highWatermark}");
        }
        _lease.Log.DeleteRecordsBefore(new Offset(target));
        Sender.Tell(new DeleteRecordsResponse(request.Topic, request.Partition, ErrorCode.None, null, _lease.Log.LogStartOffset.Value));
    }

    /// <summary>
    /// Answers <paramref name="request"/> with <paramref name="error"/> (unless <paramref name="answer"/>
    /// is false: an acks=0 produce gets no answer) and writes its request-refused line. Does nothing
    /// for a message that is no partition request.
    /// </summary>
    private void Reject(IActorRef replyTo, object request, ErrorCode error, string message, bool answer = true)
    {
        if (PartitionReplies.Failed(request, error, message) is not { } reply) return;
        _refused.Write(request, error, _id.Partition.Topic, _id.Partition.Partition, replyTo, message);
        if (answer) replyTo.Tell(reply);
    }

    private void StopLeading(string reason)
    {
        _leading = false;
        Context.System.EventStream.Unsubscribe(Self, typeof(MetadataSnapshot));
        _events.Write(EventLine.Info("leader-stopped").Partition(_id.Partition).Epoch(_id.Epoch)
            .With("log-end-offset", _lease?.Log.LogEndOffset.Value ?? -1).With("reason", reason));
    }

    private void ReleaseLease()
    {
        if (_lease is not null)
        {
            _logs.Release(_lease);
            _lease = null;
        }
    }

    /// <summary>Answers the consumer fetches that the (moved) high watermark now satisfies.</summary>
    private void WakeParkedFetches()
    {
        if (_parked.Count == 0) return;
        foreach (var parked in _parked.TakeWhere(p => Reader.Satisfies(p.Request)))
        {
            Timers.Cancel(parked.Id);
            Answer(parked.ReplyTo, parked.Request);
        }
    }

    protected override void PostStop()
    {
        // Handed off (its shard moves, or the broker stops), or passivated.
        if (_leading) StopLeading("stopped");
        ReleaseLease();
        foreach (var parked in _parked.TakeAll())
        {
            Reject(parked.ReplyTo, parked.Request, ErrorCode.NotLeaderOrFollower, "the leader stopped");
        }
        FailWaitingAcks(ErrorCode.NotLeaderOrFollower, "the leader stopped");
        base.PostStop();
    }
}
