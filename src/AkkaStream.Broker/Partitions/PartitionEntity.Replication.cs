using System.Globalization;
using Akka.Actor;
using Akka.Event;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Replication;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Records.Encoding;

namespace AkkaStream.Broker.Partitions;

// The leader's side of replication: answering followers' fetches, tracking their positions,
// moving the high watermark, completing acks=all produces, and asking the controller to change
// the ISR. Rules (Kafka's): the high watermark is the lowest log end offset in the ISR and never
// goes down while this leader serves; the ISR used is the one the controller accepted.
public sealed partial class PartitionEntity
{
    /// <summary>
    /// One partition of a follower broker's fetch session (from its <see cref="ReplicaFetchSession"/>),
    /// answered with a <see cref="ReplicaFetched"/> that echoes <paramref name="Round"/>.
    /// <paramref name="MinBytes"/> is the round's: an answer with fewer bytes of records leaves the
    /// round waiting, and this entity sends the round the records again, from the same offset, at
    /// its next append.
    /// </summary>
    public sealed record ReplicaFetch(int FollowerBroker, ReplicaFetchPartition Fetch, int MinBytes = 1, long Round = 0) : Protocol.Serialization.IHyperionSerializable;

    /// <summary>
    /// The answer to a <see cref="ReplicaFetch"/> of round <paramref name="Round"/>, or the records an
    /// append brought to a round that was waiting for them. A session that has moved on to a later
    /// round drops it, and one whose follower is gone is not worth a dead-letter line.
    /// </summary>
    public sealed record ReplicaFetched(long Round, ReplicaPartitionData Data) : Protocol.Serialization.IHyperionSerializable, IDeadLetterSuppression;

    private sealed record CheckIsr
    {
        public static readonly CheckIsr Instance = new();
    }

    private sealed record IsrChangeExpired(long Id);

    private sealed record AcksExpired(long Id);

    /// <summary>An acks=all produce, appended, waiting for the high watermark to pass <paramref name="LastOffset"/>.</summary>
    private sealed record WaitingAck(ProduceRequest Produce, ProduceResponse Response, long LastOffset);

    private readonly IActorRef _controller;
    private readonly ReplicationSettings _replication;
    private readonly ParkedRequests<WaitingAck> _acks = new();
    // Per follower broker: its round that got fewer than its min bytes, and what it asked for.
    private readonly Dictionary<int, (IActorRef Round, ReplicaFetch Request)> _waitingFollowers = [];
    private ReplicaTracker _tracker = null!;
    // The metadata version of the ISR the tracker counts: an older snapshot's ISR is never taken after it.
    private long _isrVersion;
    private long _epochStartOffset;
    private int[]? _isrChange;
    private EventLine? _isrChangeLine;
    private long _isrChangeId;

    private static long NowMs => Environment.TickCount64;

    private void StartReplication()
    {
        var log = _lease!.Log;
        // The epoch starts here even before its first record, so that a follower's history can be
        // compared with this leader's from the start (and a deposed leader's tail recognized).
        log.Epochs.AssignIfNewer(new LeaderEpoch(_id.Epoch), log.LogEndOffset);
        _epochStartOffset = log.LogEndOffset.Value;
        var snapshot = _metadata.Current;
        var partition = snapshot.Partition(_id.Partition.Topic, _id.Partition.Partition)!;
        _tracker = new ReplicaTracker(_selfBroker, partition.Replicas, partition.Isr.Contains(_selfBroker) ? partition.Isr : [_selfBroker], NowMs);
        _isrVersion = snapshot.Version;
        Context.System.EventStream.Subscribe(Self, typeof(MetadataSnapshot));
        MaybeAdvanceHighWatermark();
        var interval = TimeSpan.FromMilliseconds(Math.Max(50, _replication.LagTimeMax.TotalMilliseconds / 2));
        Timers.StartPeriodicTimer(nameof(CheckIsr), CheckIsr.Instance, interval);
    }

    private void AnswerFollower(ReplicaFetch request)
    {
        var fetch = request.Fetch;
        var log = _lease!.Log;
        var logEnd = log.LogEndOffset.Value;
        if (!_tracker.IsReplica(request.FollowerBroker))
        {
            throw new AkkaStreamException(ErrorCode.NotLeaderOrFollower, $"broker {request.FollowerBroker} holds no replica of {_id.Partition}");
        }
        // A new round of this follower's replaces the one that waited here, if any.
        _waitingFollowers.Remove(request.FollowerBroker);
        if (fetch.LastFetchedEpoch >= 0)
        {
            // Does this leader's history of the follower's last epoch reach the follower's log end?
            // If not, the follower holds records this leader never had there (a deposed leader's
            // unreplicated tail, or records of an unclean election's loser): it must truncate first.
            var end = log.Epochs.EndOffsetFor(new LeaderEpoch(fetch.LastFetchedEpoch), new Offset(logEnd));
            if (end.IsUndefined || end.Epoch.Value != fetch.LastFetchedEpoch || end.EndOffset.Value < fetch.FetchOffset)
            {
                var (epoch, endOffset) = end.IsUndefined ? (-1, logEnd) : (end.Epoch.Value, end.EndOffset.Value);
                Sender.Tell(new ReplicaFetched(request.Round, ReplicaPartitionData.Diverging(_id.Partition, _lease.HighWatermark.Value, epoch, endOffset)));
                return;
            }
        }
        if (OutOfRange(fetch) is { } refused)
        {
            Sender.Tell(new ReplicaFetched(request.Round, refused));
            return;
        }
        _tracker.FollowerFetched(request.FollowerBroker, fetch.FetchOffset, logEnd, NowMs);
        MaybeAdvanceHighWatermark();
        MaybeExpandIsr(request.FollowerBroker);
        SendRecords(Sender, request);
    }

    private ReplicaPartitionData? OutOfRange(ReplicaFetchPartition fetch)
    {
        var log = _lease!.Log;
        var (logStart, logEnd) = (log.LogStartOffset.Value, log.LogEndOffset.Value);
        return fetch.FetchOffset >= logStart && fetch.FetchOffset <= logEnd
            ? null
            : ReplicaPartitionData.Failed(_id.Partition, ErrorCode.OffsetOutOfRange,
                $"offset {fetch.FetchOffset} is outside the log [{logStart}, {logEnd}] of {_id.Partition}", logStart, logEnd);
    }

    /// <summary>The follower's records from its fetch offset; a round that got fewer than its min bytes waits here for the next append.</summary>
    private void SendRecords(IActorRef round, ReplicaFetch request)
    {
        var fetch = request.Fetch;
        using var read = _lease!.Log.Read(new Offset(fetch.FetchOffset), Math.Max(1, fetch.MaxBytes));
        Meters.ReplicationBytesOut.Inc(read.Records.Length);
        round.Tell(new ReplicaFetched(request.Round, new ReplicaPartitionData(_id.Partition, ErrorCode.None, null, _lease.HighWatermark.Value,
            read.LogStartOffset.Value, read.LogEndOffset.Value, -1, -1, ByteCopies.ToArray(read.Records.Span))));
        if (read.Records.Length < Math.Max(1, request.MinBytes))
        {
            _waitingFollowers[request.FollowerBroker] = (round, request);
        }
    }

    /// <summary>
    /// Moves the high watermark (alone in the ISR, the append commits at once) and sends the
    /// waiting rounds their records: the follower hears of an append without asking again.
    /// </summary>
    private void LeaderAppended()
    {
        MaybeAdvanceHighWatermark();
        if (_waitingFollowers.Count == 0) return;
        var waiting = _waitingFollowers.Values.ToArray();
        _waitingFollowers.Clear();
        foreach (var (round, request) in waiting)
        {
            try
            {
                if (OutOfRange(request.Fetch) is { } refused) round.Tell(new ReplicaFetched(request.Round, refused));
                else SendRecords(round, request);
            }
            catch (Exception e) when (e is AkkaStreamException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The append stands; the follower hears the error and fetches again after its backoff.
                var code = e is AkkaStreamException kafka ? kafka.Code : ErrorCode.KafkaStorageError;
                round.Tell(new ReplicaFetched(request.Round, ReplicaPartitionData.Failed(_id.Partition, code, e.Message)));
            }
        }
    }

    private void MaybeAdvanceHighWatermark()
    {
        var lease = _lease!;
        if (_tracker.HighWatermark(lease.Log.LogEndOffset.Value) is not { } candidate || candidate <= lease.HighWatermark.Value)
        {
            return;
        }
        lease.HighWatermark = new Offset(candidate);
        CompleteAcks(candidate);
        WakeParkedFetches();
    }

    private int MinInSyncReplicas
    {
        get
        {
            var topic = _metadata.Current.Topics.GetValueOrDefault(_id.Partition.Topic);
            return topic is not null && topic.Configs.TryGetValue("min.insync.replicas", out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var min) ? min : 1;
        }
    }

    private void RequireMinInSyncReplicas(ErrorCode error, string when)
    {
        var min = MinInSyncReplicas;
        if (_tracker.Isr.Count < min)
        {
            throw new AkkaStreamException(error,
                $"{_id.Partition} has {_tracker.Isr.Count} in-sync replicas [{string.Join(",", _tracker.Isr)}] {when}; min.insync.replicas is {min}");
        }
    }

    private void AwaitReplication(ProduceRequest request, ProduceResponse response, long lastOffset)
    {
        if (_lease!.HighWatermark.Value > lastOffset)
        {
            Sender.Tell(response);
            return;
        }
        var waiting = _acks.Park(Sender, new WaitingAck(request, response, lastOffset));
        Timers.StartSingleTimer(new AcksExpired(waiting.Id), new AcksExpired(waiting.Id), TimeSpan.FromMilliseconds(Math.Max(1, request.TimeoutMs)));
    }

    private void CompleteAcks(long highWatermark)
    {
        if (_acks.Count == 0) return;
        var min = MinInSyncReplicas;
        foreach (var done in _acks.TakeWhere(a => a.Request.LastOffset < highWatermark))
        {
            Timers.Cancel(new AcksExpired(done.Id));
            // Replicated to every ISR member, but the ISR shrank below the minimum meanwhile (Kafka's rule).
            if (_tracker.Isr.Count < min)
            {
                Reject(done.ReplyTo, done.Request.Produce, ErrorCode.NotEnoughReplicasAfterAppend,
                    $"{_id.Partition} has {_tracker.Isr.Count} in-sync replicas after the append; min.insync.replicas is {min}");
            }
            else
            {
                done.ReplyTo.Tell(done.Request.Response);
            }
        }
    }

    private void AcksTimedOut(AcksExpired expired)
    {
        if (_acks.Take(expired.Id) is not { } waiting) return;
        Reject(waiting.ReplyTo, waiting.Request.Produce, ErrorCode.RequestTimedOut,
            $"the ISR [{string.Join(",", _tracker.Isr)}] of {_id.Partition} did not replicate offset {waiting.Request.LastOffset} within {waiting.Request.Produce.TimeoutMs} ms");
    }

    private void FailWaitingAcks(ErrorCode error, string reason)
    {
        foreach (var waiting in _acks.TakeAll())
        {
            Reject(waiting.ReplyTo, waiting.Request.Produce, error, reason);
        }
    }

    /// <summary>
    /// Now and then, with no request to notice it: a leader whose log went to a newer owner or whose
    /// epoch the metadata has passed steps down (its waiting writes fail with NotLeaderOrFollower
    /// rather than time out); one still leading checks its followers.
    /// </summary>
    private void CheckLeadership()
    {
        if (_lease is null || _lease.IsRevoked)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, $"{_entityId} no longer holds the log of {_id.Partition}");
            return;
        }
        if (StaleReason() is { } stale)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, stale);
            return;
        }
        MaybeShrinkIsr();
    }

    /// <summary>
    /// A newer metadata snapshot reached this broker: a leader it passes steps down now rather than
    /// at its next check; one still leading takes the ISR the controller changed on its own (when it
    /// removed lost brokers), so that its writes stop waiting for them.
    /// </summary>
    private void MetadataChanged(MetadataSnapshot snapshot)
    {
        if (StaleReason() is { } stale)
        {
            Refuse(ErrorCode.NotLeaderOrFollower, stale);
            return;
        }
        if (snapshot.Partition(_id.Partition.Topic, _id.Partition.Partition) is { } partition
            && partition.Leader == _selfBroker && partition.LeaderEpoch == _id.Epoch)
        {
            AdoptIsr(partition.Isr, snapshot.Version);
        }
    }

    /// <summary>
    /// Counts <paramref name="isr"/> from now on when it is newer than the ISR counted so far: an
    /// accepted change reaches the leader twice (the answer and the metadata), in either order.
    /// </summary>
    private void AdoptIsr(IReadOnlyList<int> isr, long metadataVersion)
    {
        if (metadataVersion <= _isrVersion) return;
        _isrVersion = metadataVersion;
        if (isr.Count == _tracker.Isr.Count && isr.All(_tracker.Isr.Contains)) return;
        _metrics.Replication.IsrChanged(_tracker.Isr.Count, isr.Count);
        _tracker.SetIsr(isr);
        MaybeAdvanceHighWatermark();
    }

    private void MaybeShrinkIsr()
    {
        if (_lease is null || _isrChange is not null) return;
        if (_tracker.Shrunk(_lease.Log.LogEndOffset.Value, NowMs, (long)_replication.LagTimeMax.TotalMilliseconds) is { } shrunk)
        {
            ProposeIsr(shrunk);
        }
    }

    private void MaybeExpandIsr(int follower)
    {
        if (_isrChange is not null) return;
        if (_tracker.Expanded(follower, _lease!.HighWatermark.Value, _epochStartOffset) is { } expanded)
        {
            ProposeIsr(expanded);
        }
    }

    /// <summary>One change at a time, and counted only once the controller accepted it (see <see cref="ReplicaTracker"/>).</summary>
    private void ProposeIsr(int[] isr)
    {
        _isrChange = isr;
        var id = ++_isrChangeId;
        // Written once the controller accepted it, with the lag seen now, which is what caused it.
        _isrChangeLine = IsrChangeLine(isr);
        _log.Debug("{0} asks the controller to change the ISR from [{1}] to [{2}]", _entityId, string.Join(",", _tracker.Isr), string.Join(",", isr));
        _controller.Tell(new ControllerActor.AlterIsr(_id.Partition.Topic, _id.Partition.Partition, _selfBroker, _id.Epoch, isr));
        // No answer (the controller is moving, or out of reach): ask again on a later check.
        Timers.StartSingleTimer(nameof(IsrChangeExpired), new IsrChangeExpired(id), _replication.LagTimeMax);
    }

    /// <summary>
    /// The start of the isr-shrunk or isr-expanded line for a change to <paramref name="isr"/>: the
    /// replicas that leave or join, and for each its lag behind the log end in records and the
    /// time since it was last caught up.
    /// </summary>
    private EventLine IsrChangeLine(int[] isr)
    {
        var leaving = _tracker.Isr.Where(b => !isr.Contains(b)).ToArray();
        var changed = leaving.Length > 0 ? leaving : isr.Where(b => !_tracker.Isr.Contains(b)).ToArray();
        var logEnd = _lease!.Log.LogEndOffset.Value;
        var now = NowMs;
        var line = leaving.Length > 0 ? EventLine.Info("isr-shrunk") : EventLine.Info("isr-expanded");
        return line.Partition(_id.Partition).With("replicas", changed)
            .With("lag-records", changed.Select(b => _tracker.LagOf(b, logEnd, now).Records))
            .With("lag-ms", changed.Select(b => _tracker.LagOf(b, logEnd, now).SinceCaughtUpMs))
            .With("previous-isr", _tracker.Isr);
    }

    private void IsrChangeTimedOut(IsrChangeExpired expired)
    {
        if (expired.Id == _isrChangeId) _isrChange = null;
    }

    private void IsrAltered(ControllerActor.IsrAltered reply)
    {
        _isrChange = null;
        Timers.Cancel(nameof(IsrChangeExpired));
        if (reply.Error == ErrorCode.None)
        {
            if (_isrChangeLine is not null) _events.Write(_isrChangeLine.Epoch(reply.LeaderEpoch).With("isr", reply.Isr));
            _isrChangeLine = null;
            AdoptIsr(reply.Isr, reply.MetadataVersion);
            return;
        }
        if (reply.Error == ErrorCode.FencedLeaderEpoch && (reply.LeaderEpoch > _id.Epoch || reply.Leader != _selfBroker))
        {
            // The controller has a newer leader: this one steps down, and its waiting writes fail.
            Refuse(ErrorCode.NotLeaderOrFollower, reply.ErrorMessage ?? $"{_id.Partition} has a newer leader epoch {reply.LeaderEpoch}");
            return;
        }
        _isrChangeLine = null;
        if (reply.Leader == _selfBroker && reply.LeaderEpoch == _id.Epoch)
        {
            // Still this leader's, but the controller changed the ISR meanwhile (it removed a lost
            // broker that this leader proposed to keep or add): count the controller's, and check again.
            _log.Debug("{0}: the controller refused the ISR change: {1}", _entityId, reply.ErrorMessage);
            AdoptIsr(reply.Isr, reply.MetadataVersion);
            return;
        }
        _log.Warning("{0}: the controller refused the ISR change: {1}", _entityId, reply.ErrorMessage);
    }
}
