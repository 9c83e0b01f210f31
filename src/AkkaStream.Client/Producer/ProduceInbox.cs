using System.Collections.Concurrent;
using Akka.Actor;

namespace AkkaStream.Client.Producer;

/// <summary>
/// Where <see cref="AkkaStreamProducer"/>'s calls leave records for the <see cref="ProducerActor"/>:
/// a queue the actor empties, and a flag so that a burst of calls wakes the actor with one
/// <see cref="ProducerActor.RecordsQueued"/> message instead of one mailbox message per record.
/// Thread-safe: any number of callers add, only the actor takes. Records keep the order in which
/// they were added.
/// </summary>
internal sealed class ProduceInbox
{
    private readonly ConcurrentQueue<QueuedRecord> _records = new();

    /// <summary>1 while a <see cref="ProducerActor.RecordsQueued"/> is on its way or being handled.</summary>
    private int _signalled;

    /// <summary>The producer actor, set once it exists.</summary>
    public IActorRef Actor { get; set; } = ActorRefs.Nobody;

    public bool IsEmpty => _records.IsEmpty;

    /// <summary>Queues a record; <paramref name="replyTo"/> gets its report when it has no callback.</summary>
    public void Add(ProduceRecord record, IActorRef? replyTo)
    {
        _records.Enqueue(new QueuedRecord(record, replyTo));
        Signal();
    }

    /// <summary>
    /// Wakes the actor unless a wake-up is already pending. The actor re-arms (<see cref="Rearm"/>)
    /// before it empties the queue, so a record added while it works either is taken in that pass
    /// or sends a new wake-up: none is left behind.
    /// </summary>
    public void Signal()
    {
        // Read before the exchange: while a wake-up is pending, callers only read the flag, and
        // its cache line is not written back and forth with the actor's thread on every record.
        // The barrier keeps that read after the record's enqueue (as Rearm's exchange keeps the
        // actor's dequeue after its write), so the actor cannot miss the record while this misses
        // the re-armed flag.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _signalled) == 0 && Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            Actor.Tell(ProducerActor.RecordsQueued.Instance, ActorRefs.NoSender);
        }
    }

    public void Rearm() => Interlocked.Exchange(ref _signalled, 0);

    public bool TryTake(out QueuedRecord queued) => _records.TryDequeue(out queued);
}

/// <summary>A record in the <see cref="ProduceInbox"/>, with whom to report to.</summary>
internal readonly record struct QueuedRecord(ProduceRecord Record, IActorRef? ReplyTo);
