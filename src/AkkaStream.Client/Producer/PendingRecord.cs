using Akka.Actor;

namespace AkkaStream.Client.Producer;

/// <summary>A record the producer has accepted and not yet reported on. Owned by the producer actor.</summary>
internal sealed class PendingRecord(long sequence, ProduceRecord record, long timestamp, DateTime deadline, IActorRef? replyTo)
{
    /// <summary>Counts records in the order the producer accepted them; flushes wait on it.</summary>
    public long Sequence { get; } = sequence;

    public ProduceRecord Record { get; } = record;

    public long Timestamp { get; } = timestamp;

    /// <summary>When delivery.timeout runs out for this record.</summary>
    public DateTime Deadline { get; } = deadline;

    public IActorRef? ReplyTo { get; } = replyTo;
}
