using Akka.Actor;
using Akka.Event;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Internal;
using AkkaStream.Client.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Records.Partitioning;

namespace AkkaStream.Client.Producer;

/// <summary>
/// The producer. Owns a batch per partition: records (<see cref="ProduceRecord"/>) go to the
/// partition Kafka's default partitioner picks (murmur2 of the key; a "sticky" partition for
/// keyless records, changed whenever its batch is closed), are appended to that partition's open
/// batch, and the batch is sent as one <see cref="ProduceRequest"/> to the leader's gateway once
/// it holds batch.size bytes, has waited linger.ms, or a <see cref="Flush"/> asks. At most
/// max-in-flight-per-partition requests per partition are out at once; retriable errors put the
/// batch back in its place, refresh metadata when it is stale and retry after a backoff, until
/// retries or delivery.timeout run out. Every record gets exactly one <see cref="DeliveryReport"/>.
/// Records arrive one message each (<see cref="ProduceRecord"/>, from actors) or in bursts through
/// the <see cref="ProduceInbox"/> (from <see cref="AkkaStreamProducer"/>); both are accepted by
/// <see cref="Accept"/>. One place builds a batch (<see cref="Seal"/>) and one sends it (<see cref="Send"/>).
/// </summary>
public sealed class ProducerActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// Records are waiting in the <see cref="ProduceInbox"/>. At most <see cref="MaxRecordsPerWakeUp"/>
    /// are taken per message, so that answers and timers are not held up behind a long queue.
    /// </summary>
    internal sealed record RecordsQueued
    {
        public static readonly RecordsQueued Instance = new();
    }

    private const int MaxRecordsPerWakeUp = 4096;

    /// <summary>Creates the actor with its inbox: Props.Create reaches public constructors only, and the inbox is internal.</summary>
    private sealed class WithInbox(ClientSettings settings, IActorRef metadata, ProduceInbox inbox) : IIndirectActorProducer
    {
        public Type ActorType => typeof(ProducerActor);

        public ActorBase Produce() => new ProducerActor(settings, metadata, inbox);

        public void Release(ActorBase actor)
        {
        }
    }

    private sealed record LingerExpired(TopicPartition Partition);

    private sealed record RetryDue(TopicPartition Partition);

    private sealed record BatchAnswered(ProducerBatch Batch, object Answer);

    private sealed record ExpiryTick
    {
        public static readonly ExpiryTick Instance = new();
    }

    private sealed class FlushWaiter(IActorRef replyTo, long beforeSequence, long remaining)
    {
        public IActorRef ReplyTo { get; } = replyTo;

        public long BeforeSequence { get; } = beforeSequence;

        public long Remaining { get; set; } = remaining;
    }

    private readonly ClientSettings _settings;
    private readonly ProducerSettings _producer;
    private readonly IActorRef _metadata;
    private readonly ProduceInbox _inbox;
    private readonly GatewayRefs _gateways;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<TopicPartition, PartitionQueue> _queues = [];
    private readonly Dictionary<string, int> _sticky = new(StringComparer.Ordinal);
    private readonly List<PendingRecord> _waitingForTopic = [];
    private readonly List<FlushWaiter> _flushWaiters = [];
    private readonly IdempotentSequencer _idempotence;
    private ClusterSnapshot? _snapshot;
    private long _nextSequence;
    private long _nextBatchId;
    private long _unresolved;

    public ProducerActor(ClientSettings settings, IActorRef metadata)
        : this(settings, metadata, new ProduceInbox())
    {
    }

    internal ProducerActor(ClientSettings settings, IActorRef metadata, ProduceInbox inbox)
    {
        _settings = settings;
        _producer = settings.Producer;
        _metadata = metadata;
        _idempotence = new IdempotentSequencer(_producer.IsIdempotent);
        _inbox = inbox;
        _gateways = new GatewayRefs(Context.System);
        Receive<ProduceRecord>(record =>
            Accept(record, Sender.IsNobody() || Sender.Equals(Context.System.DeadLetters) ? null : Sender));
        Receive<RecordsQueued>(_ => TakeQueued(MaxRecordsPerWakeUp));
        Receive<ClusterSnapshot>(OnSnapshot);
        Receive<LingerExpired>(m =>
        {
            if (_queues.TryGetValue(m.Partition, out var queue) && queue.Open is not null)
            {
                queue.LingerExpired = true;
                TrySend(queue);
            }
        });
        Receive<RetryDue>(m =>
        {
            if (_queues.TryGetValue(m.Partition, out var queue))
            {
                TrySend(queue);
            }
        });
        Receive<BatchAnswered>(OnAnswered);
        Receive<Flush>(_ => OnFlush(Sender));
        Receive<ExpiryTick>(_ => ExpireOverdue());
        Receive<IdempotentSequencer.IdAnswer>(OnProducerId);
        Receive<IdempotentSequencer.RetryId>(_ => TrySendAll());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClientSettings settings, IActorRef metadata) =>
        Akka.Actor.Props.Create(() => new ProducerActor(settings, metadata));

    /// <summary>Props of a producer that also takes records from <paramref name="inbox"/>.</summary>
    internal static Props Props(ClientSettings settings, IActorRef metadata, ProduceInbox inbox) =>
        Akka.Actor.Props.CreateBy(new WithInbox(settings, metadata, inbox));

    protected override void PreStart()
    {
        _metadata.Tell(new MetadataActor.Subscribe(Self));
        var tick = TimeSpan.FromTicks(Math.Clamp(_producer.DeliveryTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        Timers.StartPeriodicTimer(ExpiryTick.Instance, ExpiryTick.Instance, tick);
    }

    protected override void PostStop()
    {
        _metadata.Tell(new MetadataActor.Unsubscribe(Self));
        foreach (var queue in _queues.Values)
        {
            queue.Dispose();
        }
    }

    private void TakeQueued(int max)
    {
        _inbox.Rearm();
        for (var taken = 0; taken < max; taken++)
        {
            if (!_inbox.TryTake(out var queued))
            {
                return;
            }
            Accept(queued.Record, queued.ReplyTo);
        }
        if (!_inbox.IsEmpty)
        {
            _inbox.Signal();
        }
    }

    private void Accept(ProduceRecord record, IActorRef? replyTo)
    {
        // One clock read serves both the record's timestamp and its delivery deadline.
        var now = DateTime.UtcNow;
        var timestamp = record.Timestamp ?? (now - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        var pending = new PendingRecord(_nextSequence++, record, timestamp, now + _producer.DeliveryTimeout, replyTo);
        _unresolved++;
        var size = (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0) + RecordBatchLayout.HeaderSize;
        if (record.Headers is not null)
        {
            foreach (var header in record.Headers)
            {
                size += header.Key.Length + header.Value.Length;
            }
        }
        if (size > _producer.MaxRequestSize)
        {
            Complete(pending, record.Partition ?? -1, -1, ErrorCode.MessageTooLarge,
                $"the record is {size} bytes, more than max-request-size ({_producer.MaxRequestSize})");
            return;
        }
        if (_snapshot?.Topic(record.Topic) is null)
        {
            // Named once per topic here; the expiry tick names the still-missing ones again.
            if (!_waitingForTopic.Exists(p => p.Record.Topic == record.Topic))
            {
                _metadata.Tell(new MetadataActor.RequestTopics([record.Topic]));
            }
            _waitingForTopic.Add(pending);
            _metadata.Tell(MetadataActor.Refresh.Instance);
            return;
        }
        Route(pending, _snapshot);
    }

    private void OnSnapshot(ClusterSnapshot snapshot)
    {
        _snapshot = snapshot;
        if (_waitingForTopic.Count > 0)
        {
            var waiting = _waitingForTopic.ToArray();
            _waitingForTopic.Clear();
            foreach (var pending in waiting)
            {
                if (snapshot.Topic(pending.Record.Topic) is null)
                {
                    _waitingForTopic.Add(pending);
                }
                else
                {
                    Route(pending, snapshot);
                }
            }
        }
        foreach (var queue in _queues.Values)
        {
            if (queue.HasWork)
            {
                TrySend(queue);
            }
        }
    }

    private void Route(PendingRecord pending, ClusterSnapshot snapshot)
    {
        var record = pending.Record;
        var count = snapshot.PartitionCount(record.Topic);
        int partition;
        if (record.Partition is { } chosen)
        {
            if (chosen < 0 || chosen >= count)
            {
                Complete(pending, chosen, -1, ErrorCode.UnknownTopicOrPartition, $"topic {record.Topic} has {count} partitions, not {chosen + 1}");
                return;
            }
            partition = chosen;
        }
        else if (record.Key is not null)
        {
            partition = DefaultPartitioner.Partition(record.Key, count);
        }
        else
        {
            partition = StickyPartition(record.Topic, snapshot, count);
        }
        var tp = new TopicPartition(record.Topic, partition);
        if (!_queues.TryGetValue(tp, out var queue))
        {
            queue = new PartitionQueue(tp);
            _queues[tp] = queue;
        }
        Append(queue, pending);
    }

    /// <summary>Kafka's sticky choice for keyless records: one partition until its batch closes, then another that has a leader.</summary>
    private int StickyPartition(string topic, ClusterSnapshot snapshot, int count)
    {
        if (_sticky.TryGetValue(topic, out var current) && current < count)
        {
            return current;
        }
        var available = snapshot.AvailablePartitions(topic);
        var next = available.Count > 0 ? available[Random.Shared.Next(available.Count)] : Random.Shared.Next(count);
        _sticky[topic] = next;
        return next;
    }

    private void ChangeStickyPartition(TopicPartition closed)
    {
        if (!_sticky.TryGetValue(closed.Topic, out var current) || current != closed.Partition || _snapshot is null)
        {
            return;
        }
        var available = _snapshot.AvailablePartitions(closed.Topic);
        if (available.Count > 1)
        {
            int next;
            do
            {
                next = available[Random.Shared.Next(available.Count)];
            }
            while (next == current);
            _sticky[closed.Topic] = next;
        }
    }

    private void Append(PartitionQueue queue, PendingRecord pending)
    {
        var record = pending.Record;
        RecordHeaderData[] headers = record.Headers switch
        {
            null => [],
            RecordHeaderData[] array => array,
            var list => list.ToArray(),
        };
        if (queue.Open is not null && !queue.Open.HasRoomFor(_producer.BatchSize, pending.Timestamp, record.Key, record.Value, headers))
        {
            Seal(queue);
        }
        if (queue.Open is null)
        {
            queue.Open = new RecordBatchBuilder(_producer.Compression);
            queue.OpenRecords = [];
            queue.LingerExpired = false;
            if (_producer.Linger > TimeSpan.Zero)
            {
                Timers.StartSingleTimer(("linger", queue.Partition), new LingerExpired(queue.Partition), _producer.Linger);
            }
        }
        queue.Open.Append(pending.Timestamp, record.Key, record.Value, headers);
        queue.OpenRecords.Add(pending);
        if (queue.Open.EstimatedSizeInBytes >= _producer.BatchSize)
        {
            Seal(queue);
        }
        TrySend(queue);
    }

    /// <summary>Closes the open batch: builds it and queues it behind the partition's other batches.</summary>
    private void Seal(PartitionQueue queue)
    {
        var builder = queue.Open!;
        var batch = new ProducerBatch(_nextBatchId++, queue.Partition, builder.Build(), queue.OpenRecords);
        builder.Dispose();
        queue.Open = null;
        queue.OpenRecords = [];
        queue.Ready.AddLast(batch);
        Timers.Cancel(("linger", queue.Partition));
        ChangeStickyPartition(queue.Partition);
    }

    private void TrySend(PartitionQueue queue)
    {
        if (_snapshot is null || _snapshot.Generation < queue.AwaitGeneration
            || (queue.RetryNotBefore != default && DateTime.UtcNow < queue.RetryNotBefore))
        {
            return;
        }
        if (!_idempotence.IsReady)
        {
            _idempotence.RequestId(Context, _snapshot, _settings.RequestTimeout);
            return;
        }
        if (queue.AwaitingInFlight)
        {
            // After a retriable error nothing new leaves until every request out is answered, so
            // that the retried batches are sent again in their order, behind none of their successors.
            if (queue.InFlight > 0)
            {
                return;
            }
            queue.AwaitingInFlight = false;
        }
        while (queue.InFlight < _producer.MaxInFlightPerPartition)
        {
            if (queue.Ready.Count == 0)
            {
                var sendOpen = queue.Open is not null
                    && (_producer.Linger <= TimeSpan.Zero || queue.LingerExpired || _flushWaiters.Count > 0);
                if (!sendOpen)
                {
                    return;
                }
                Seal(queue);
            }
            var batch = queue.Ready.First!.Value;
            var leader = _snapshot.TryGetLeader(queue.Partition, out var gateway, out var epoch);
            if (leader != ErrorCode.None)
            {
                // No leader to send to: wait for newer metadata (Expire fails what waits too long).
                queue.AwaitGeneration = _snapshot.Generation + 1;
                _metadata.Tell(MetadataActor.Refresh.Instance);
                return;
            }
            queue.Ready.RemoveFirst();
            Send(queue, batch, gateway, epoch);
        }
    }

    private void Send(PartitionQueue queue, ProducerBatch batch, string gateway, int epoch)
    {
        var tp = queue.Partition;
        _idempotence.StampBeforeSend(batch);
        var request = new ProduceRequest(tp.Topic, tp.Partition, _producer.Acks,
            (int)_settings.RequestTimeout.TotalMilliseconds, epoch, batch.Bytes);
        var target = _gateways.For(gateway);
        batch.Attempts++;
        if (_producer.Acks == Acks.None)
        {
            // acks=0: nobody answers, so the batch is done once it is sent.
            target.Tell(request, ActorRefs.NoSender);
            foreach (var record in batch.Records)
            {
                Complete(record, tp.Partition, -1, ErrorCode.None, null);
            }
            return;
        }
        queue.InFlight++;
        target.Ask<object>(request, _settings.RequestTimeout)
            .PipeTo(Self, success: answer => new BatchAnswered(batch, answer), failure: e => new BatchAnswered(batch, e));
    }

    private void OnAnswered(BatchAnswered answered)
    {
        var batch = answered.Batch;
        var queue = _queues[batch.Partition];
        queue.InFlight--;
        var (error, message, response) = answered.Answer switch
        {
            ProduceResponse r => (r.Error, r.ErrorMessage, r),
            Exception e when e is AskTimeoutException || e.InnerException is AskTimeoutException =>
                (ErrorCode.RequestTimedOut, $"no answer from the leader within {_settings.RequestTimeout}", null),
            Exception e => (ErrorCode.NetworkException, e.Message, null),
            var other => (ErrorCode.UnknownServerError, $"unexpected answer {other.GetType().Name}", (ProduceResponse?)null),
        };
        if (error == ErrorCode.None && response is not null)
        {
            _idempotence.OnDelivered(batch);
            var offset = response.BaseOffset;
            foreach (var record in batch.Records)
            {
                var timestamp = response.LogAppendTime >= 0 ? response.LogAppendTime : record.Timestamp;
                Complete(record, batch.Partition.Partition, offset++, ErrorCode.None, null, timestamp);
            }
        }
        else if ((RetriableErrors.IsRetriable(error) || _idempotence.IsTransientSequenceError(batch, error)) && batch.Attempts <= _producer.Retries && DateTime.UtcNow < batch.Deadline)
        {
            _log.Debug("Retrying batch {0} of {1} after {2}: {3}", batch.Id, batch.Partition, error, message);
            queue.Requeue(batch);
            queue.AwaitingInFlight = true;
            var backoff = _settings.BackoffFor(batch.Attempts);
            queue.RetryNotBefore = DateTime.UtcNow + backoff;
            Timers.StartSingleTimer(("retry", batch.Partition), new RetryDue(batch.Partition), backoff);
            if (RetriableErrors.InvalidatesMetadata(error) && _snapshot is not null)
            {
                queue.AwaitGeneration = _snapshot.Generation + 1;
                _metadata.Tell(MetadataActor.Refresh.Instance);
            }
        }
        else
        {
            _idempotence.OnFailed(batch);
            foreach (var record in batch.Records)
            {
                Complete(record, batch.Partition.Partition, -1, error, message);
            }
        }
        TrySend(queue);
    }

    /// <summary>With a producer id, the held-back batches go; without one, ask again after a backoff.</summary>
    private void OnProducerId(IdempotentSequencer.IdAnswer answer)
    {
        if (!_idempotence.OnAnswer(answer))
        {
            _log.Warning("No producer id from the cluster ({0}); asking again", answer.Answer);
            Timers.StartSingleTimer("producer-id", IdempotentSequencer.RetryId.Instance, _settings.BackoffFor(1));
            return;
        }
        TrySendAll();
    }

    private void TrySendAll()
    {
        foreach (var queue in _queues.Values)
        {
            if (queue.HasWork) TrySend(queue);
        }
    }

    private void OnFlush(IActorRef replyTo)
    {
        // Records produced before the flush may still be in the inbox.
        TakeQueued(int.MaxValue);
        if (_unresolved == 0)
        {
            replyTo.Tell(Flushed.Instance);
            return;
        }
        _flushWaiters.Add(new FlushWaiter(replyTo, _nextSequence, _unresolved));
        foreach (var queue in _queues.Values)
        {
            if (queue.HasWork)
            {
                TrySend(queue);
            }
        }
    }

    /// <summary>Fails records whose delivery.timeout has passed while they waited for a topic or a leader.</summary>
    private void ExpireOverdue()
    {
        var now = DateTime.UtcNow;
        if (_waitingForTopic.Count > 0)
        {
            _waitingForTopic.RemoveAll(p =>
            {
                if (p.Deadline > now)
                {
                    return false;
                }
                Complete(p, p.Record.Partition ?? -1, -1, ErrorCode.UnknownTopicOrPartition,
                    $"topic {p.Record.Topic} is not in the cluster's metadata after {_producer.DeliveryTimeout}");
                return true;
            });
            if (_waitingForTopic.Count > 0)
            {
                _metadata.Tell(new MetadataActor.RequestTopics([.. _waitingForTopic.Select(p => p.Record.Topic).Distinct()]));
            }
            _metadata.Tell(MetadataActor.Refresh.Instance);
        }
        foreach (var queue in _queues.Values)
        {
            var node = queue.Ready.First;
            while (node is not null)
            {
                var next = node.Next;
                if (node.Value.Deadline <= now)
                {
                    queue.Ready.Remove(node);
                    _idempotence.OnFailed(node.Value);
                    foreach (var record in node.Value.Records)
                    {
                        Complete(record, queue.Partition.Partition, -1, ErrorCode.RequestTimedOut,
                            $"not delivered within delivery-timeout ({_producer.DeliveryTimeout})");
                    }
                }
                node = next;
            }
        }
    }

    private void Complete(PendingRecord pending, int partition, long offset, ErrorCode error, string? message, long? timestamp = null)
    {
        var report = new DeliveryReport(pending.Record.Topic, partition, offset, timestamp ?? pending.Timestamp, error, message, pending.Record.Correlation);
        if (pending.Record.OnDelivery is { } callback)
        {
            try
            {
                callback(report);
            }
            catch (Exception e)
            {
                _log.Error(e, "A delivery callback threw");
            }
        }
        else
        {
            pending.ReplyTo?.Tell(report);
        }
        _unresolved--;
        if (_flushWaiters.Count > 0)
        {
            _flushWaiters.RemoveAll(w =>
            {
                if (pending.Sequence < w.BeforeSequence && --w.Remaining == 0)
                {
                    w.ReplyTo.Tell(Flushed.Instance);
                    return true;
                }
                return false;
            });
        }
    }
}
