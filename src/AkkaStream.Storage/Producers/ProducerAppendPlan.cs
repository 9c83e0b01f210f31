namespace AkkaStream.Storage.Producers;

/// <summary>
/// What the leader's check of an append decided about its idempotent batches: either the whole
/// append repeats batches already written (<see cref="Duplicate"/>: answer with their offsets,
/// write nothing), or the state changes to apply once the batches are written (none when the
/// append holds no idempotent batch). Immutable once made.
/// </summary>
public sealed class ProducerAppendPlan
{
    public static readonly ProducerAppendPlan Nothing = new(null, null);

    private ProducerAppendPlan(ProducerBatchMetadata? duplicate, IReadOnlyList<ProducerStateUpdate>? updates)
    {
        Duplicate = duplicate;
        Updates = updates ?? [];
    }

    /// <summary>The offsets and timestamp of the first write, spanning every batch of the append; null when it is new.</summary>
    public ProducerBatchMetadata? Duplicate { get; }

    public IReadOnlyList<ProducerStateUpdate> Updates { get; }

    internal static ProducerAppendPlan OfDuplicate(ProducerBatchMetadata original) => new(original, null);

    internal static ProducerAppendPlan OfUpdates(IReadOnlyList<ProducerStateUpdate>? updates) =>
        updates is null ? Nothing : new ProducerAppendPlan(null, updates);
}

/// <summary>One batch to record in a producer's state.</summary>
public readonly record struct ProducerStateUpdate(long ProducerId, short Epoch, ProducerBatchMetadata Batch);
