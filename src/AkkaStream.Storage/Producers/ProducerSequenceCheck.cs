using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Storage.Producers;

/// <summary>
/// The leader's rules for a new (not duplicate) batch of an idempotent producer, given what the
/// partition knows of that producer. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// A producer the partition does not know is accepted at any sequence, as Kafka has done since
/// 2.5 (KIP-360) instead of refusing it with <c>UnknownProducerId</c>: the partition legitimately
/// forgets producers (<c>producer.id.expiration.ms</c>, a replica rebuilt from a log whose
/// producer batches were compacted away), and a live producer that continues its sequence after
/// that must not fail. What refusing would protect against — a retry of a batch whose state is
/// gone — cannot be told apart from that case by the broker either.
/// </remarks>
internal static class ProducerSequenceCheck
{
    /// <summary>
    /// Throws when a batch of <paramref name="epoch"/> starting at <paramref name="baseSequence"/>
    /// may not follow a producer last seen in <paramref name="currentEpoch"/> (null: unknown) at
    /// <paramref name="currentLastSequence"/>.
    /// </summary>
    /// <exception cref="AkkaStreamException"><c>InvalidProducerEpoch</c> for an older epoch; <c>OutOfOrderSequenceNumber</c> for a gap.</exception>
    public static void Check(long producerId, short? currentEpoch, int currentLastSequence, short epoch, int baseSequence)
    {
        if (currentEpoch is not { } current)
        {
            return;
        }
        if (epoch < current)
        {
            throw new AkkaStreamException(ErrorCode.InvalidProducerEpoch,
                $"producer {producerId} sent epoch {epoch}, older than its current epoch {current}: a newer instance has taken over");
        }
        if (epoch > current)
        {
            if (baseSequence != 0)
            {
                throw new AkkaStreamException(ErrorCode.OutOfOrderSequenceNumber,
                    $"producer {producerId} starts epoch {epoch} at sequence {baseSequence}; a new epoch starts at 0");
            }
            return;
        }
        if (currentLastSequence < 0)
        {
            return;
        }
        var expected = ProducerSequence.Add(currentLastSequence, 1);
        if (baseSequence != expected)
        {
            throw new AkkaStreamException(ErrorCode.OutOfOrderSequenceNumber,
                $"producer {producerId} (epoch {epoch}) sent sequence {baseSequence}, expected {expected}");
        }
    }
}
