namespace AkkaStream.Records.Batches;

/// <summary>
/// Arithmetic on an idempotent producer's per-partition sequence numbers, which run from 0 to
/// <see cref="int.MaxValue"/> and then wrap to 0 (as Kafka's do). Thread-safe (stateless).
/// </summary>
public static class ProducerSequence
{
    /// <summary>The base sequence of a batch that is not from an idempotent producer.</summary>
    public const int None = -1;

    /// <summary><paramref name="sequence"/> advanced by <paramref name="increment"/> (≥ 0), wrapping past <see cref="int.MaxValue"/> to 0.</summary>
    public static int Add(int sequence, int increment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(increment);
        return sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;
    }

    /// <summary>The sequence of a batch's last record: its base sequence plus its last offset delta.</summary>
    public static int LastOf(in RecordBatchHeader header) => Add(header.BaseSequence, header.LastOffsetDelta);
}
