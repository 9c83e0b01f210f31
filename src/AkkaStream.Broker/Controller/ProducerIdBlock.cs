namespace AkkaStream.Broker.Controller;

/// <summary>
/// The producer ids a controller hands out from memory: the rest of the last block it reserved.
/// Reserving a block (<see cref="ProducerIdsReserved"/>) is one persisted event per
/// <see cref="Size"/> ids instead of one per id. A new controller starts with an empty block at
/// the journal's reservation mark, so the unused rest of its predecessor's block is skipped, never
/// handed out again. Not thread-safe; owned by the <see cref="ControllerActor"/>.
/// </summary>
public sealed class ProducerIdBlock(long reservedUpTo)
{
    /// <summary>Ids per reservation; Kafka's controller also hands them to brokers in blocks of 1000.</summary>
    public const long Size = 1000;

    private long _next = reservedUpTo;

    /// <summary>The end of the reserved block: the next id is below it, or a new block is needed.</summary>
    public long ReservedUpTo { get; private set; } = reservedUpTo;

    public bool IsExhausted => _next >= ReservedUpTo;

    /// <summary>The reservation to persist when the block is used up.</summary>
    public ProducerIdsReserved NextReservation() => new(ReservedUpTo + Size);

    /// <summary>Takes a persisted reservation as the new block.</summary>
    public void Reserved(ProducerIdsReserved reservation)
    {
        _next = Math.Max(_next, ReservedUpTo);
        ReservedUpTo = Math.Max(ReservedUpTo, reservation.UpTo);
    }

    /// <summary>The next id; call only while <see cref="IsExhausted"/> is false.</summary>
    public long Take()
    {
        if (IsExhausted)
        {
            throw new InvalidOperationException("the producer id block is used up; reserve the next one first");
        }
        return _next++;
    }
}
