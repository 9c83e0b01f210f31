using Akka.Actor;
using AkkaStream.Client.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Producer;

/// <summary>
/// The idempotent side of the producer (<c>enable-idempotence</c>): a producer id and epoch from
/// the cluster before the first batch leaves, and per partition the sequence of the next record.
/// Each batch is stamped once, when it is first sent, and keeps its sequence through every retry,
/// so the leader recognises a retry of a batch it already wrote and answers it with the original
/// offsets instead of writing it again. Owned by the <see cref="ProducerActor"/>; not thread-safe.
/// </summary>
/// <remarks>
/// A batch that fails for good leaves a hole in its partition's sequence that every later batch
/// would run into (<c>OutOfOrderSequenceNumber</c>). The producer then takes a new producer id,
/// and every batch not yet acknowledged is stamped again under it, from sequence 0. Kafka's
/// producer bumps its epoch for the same reason.
/// </remarks>
internal sealed class IdempotentSequencer(bool enabled)
{
    /// <summary>The answer to an <see cref="InitProducerIdRequest"/> (or its failure), piped to the producer.</summary>
    public sealed record IdAnswer(object Answer);

    /// <summary>Time to ask for a producer id again after a failed attempt.</summary>
    public sealed record RetryId
    {
        public static readonly RetryId Instance = new();
    }

    /// <summary>The identity a batch was stamped under, and its base sequence.</summary>
    private readonly record struct Stamp(int Generation, int BaseSequence);

    private readonly Dictionary<TopicPartition, int> _nextSequence = [];
    private readonly Dictionary<long, Stamp> _stamps = [];
    private readonly Dictionary<TopicPartition, SortedSet<long>> _unresolved = [];
    private bool _requesting;
    private int _attempt;

    public bool Enabled { get; } = enabled;

    /// <summary>-1 until the cluster has given one (or with idempotence off).</summary>
    public ProducerId ProducerId { get; private set; } = ProducerId.None;

    public short Epoch { get; private set; } = -1;

    /// <summary>Grows with every producer id taken; a batch stamped under an older one is stamped again.</summary>
    private int Generation { get; set; }

    /// <summary>True when batches may be sent: idempotence is off, or the producer id is known.</summary>
    public bool IsReady => !Enabled || !ProducerId.IsNone;

    /// <summary>Asks a broker's gateway (in turn, one per attempt) for a producer id, unless a request is out.</summary>
    public void RequestId(IActorContext context, ClusterSnapshot snapshot, TimeSpan timeout)
    {
        if (_requesting || snapshot.Brokers.Count == 0)
        {
            return;
        }
        _requesting = true;
        var brokers = snapshot.Brokers.ToList();
        var gateway = brokers[_attempt++ % brokers.Count].GatewayPath;
        context.ActorSelection(gateway).Ask<object>(InitProducerIdRequest.Instance, timeout)
            .PipeTo(context.Self, success: answer => new IdAnswer(answer), failure: e => new IdAnswer(e));
    }

    /// <summary>Takes the cluster's answer; false when it brought no id (ask again after a backoff).</summary>
    public bool OnAnswer(IdAnswer answer)
    {
        _requesting = false;
        if (answer.Answer is not InitProducerIdResponse { Error: ErrorCode.None } response)
        {
            return false;
        }
        ProducerId = new ProducerId(response.ProducerId);
        Epoch = response.ProducerEpoch;
        Generation++;
        _nextSequence.Clear();
        return true;
    }

    /// <summary>
    /// Writes the producer id, epoch and the partition's next sequence into a batch about to be
    /// sent, unless it already carries them under the current producer id (a retry keeps its sequence).
    /// </summary>
    public void StampBeforeSend(ProducerBatch batch)
    {
        if (!Enabled || (_stamps.TryGetValue(batch.Id, out var stamp) && stamp.Generation == Generation))
        {
            return;
        }
        var sequence = _nextSequence.GetValueOrDefault(batch.Partition);
        _nextSequence[batch.Partition] = ProducerSequence.Add(sequence, batch.Records.Count);
        RecordBatch.SetProducerFields(batch.Bytes, ProducerId.Value, Epoch, sequence);
        _stamps[batch.Id] = new Stamp(Generation, sequence);
        if (!_unresolved.TryGetValue(batch.Partition, out var pending))
        {
            _unresolved[batch.Partition] = pending = [];
        }
        pending.Add(batch.Id);
    }

    /// <summary>
    /// Whether a sequence error is only the consequence of an earlier batch: one of the same
    /// partition that is still unresolved (in flight or waiting to be retried, so the leader saw a
    /// gap), or a producer id given up since (the batch is stamped again before it is resent).
    /// </summary>
    public bool IsTransientSequenceError(ProducerBatch batch, ErrorCode error)
    {
        if (!Enabled || error != ErrorCode.OutOfOrderSequenceNumber || !_stamps.TryGetValue(batch.Id, out var stamp))
        {
            return false;
        }
        return stamp.Generation != Generation
            || ProducerId.IsNone
            || (_unresolved.TryGetValue(batch.Partition, out var pending) && pending.Count > 0 && pending.Min < batch.Id);
    }

    /// <summary>The batch was acknowledged.</summary>
    public void OnDelivered(ProducerBatch batch) => Forget(batch);

    /// <summary>The batch failed for good: its sequence will never be written, so the producer needs a new id.</summary>
    public void OnFailed(ProducerBatch batch)
    {
        if (Forget(batch) is { } stamp && stamp.Generation == Generation)
        {
            ProducerId = ProducerId.None;
            Epoch = -1;
        }
    }

    private Stamp? Forget(ProducerBatch batch)
    {
        if (!_stamps.Remove(batch.Id, out var stamp))
        {
            return null;
        }
        if (_unresolved.TryGetValue(batch.Partition, out var pending))
        {
            pending.Remove(batch.Id);
        }
        return stamp;
    }
}
