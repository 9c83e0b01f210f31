using System.Buffers.Binary;
using AkkaStream.Records.Checksums;
using AkkaStream.Records.Errors;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Operations on one encoded record batch held in a span: validation, and the in-place edits a
/// leader makes on append. Thread-safe (stateless); the caller owns the bytes.
/// </summary>
public static class RecordBatch
{
    /// <summary>The batch's total size as its header declares it, or -1 when the span is too short to tell.</summary>
    public static int DeclaredSize(ReadOnlySpan<byte> source) =>
        source.Length < LogOverhead ? -1 : LogOverhead + BinaryPrimitives.ReadInt32BigEndian(source[BatchLengthOffset..]);

    /// <summary>The CRC-32C the batch should carry, computed over attributes to the end.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[CrcCoverageStart..]);

    /// <summary>
    /// Checks that <paramref name="batch"/> is exactly one well-formed batch: the header fits, the
    /// declared length equals the span's, magic is 2, deltas and counts are sane and the CRC matches.
    /// </summary>
    /// <returns><see cref="ErrorCode.None"/>, or <see cref="ErrorCode.CorruptMessage"/> with a reason.</returns>
    public static ErrorCode Validate(ReadOnlySpan<byte> batch, out string? reason)
    {
        if (!RecordBatchHeader.TryRead(batch, out var header))
        {
            reason = $"a batch needs at least {HeaderSize} bytes, got {batch.Length}";
            return ErrorCode.CorruptMessage;
        }
        if (header.Magic != CurrentMagic)
        {
            reason = $"unsupported magic {header.Magic}; only record batch v{CurrentMagic} is accepted";
            return ErrorCode.CorruptMessage;
        }
        if (!header.IsStructurallyValid)
        {
            reason = $"malformed header (length {header.BatchLength}, last offset delta {header.LastOffsetDelta}, records {header.RecordsCount})";
            return ErrorCode.CorruptMessage;
        }
        if (header.SizeInBytes != batch.Length)
        {
            reason = $"declared size {header.SizeInBytes} does not match the {batch.Length} bytes given";
            return ErrorCode.CorruptMessage;
        }
        var computed = ComputeCrc(batch);
        if (computed != header.Crc)
        {
            reason = $"CRC mismatch: stored 0x{header.Crc:x8}, computed 0x{computed:x8}";
            return ErrorCode.CorruptMessage;
        }
        reason = null;
        return ErrorCode.None;
    }

    /// <summary>Writes the base offset. It lies outside the CRC, so the CRC stays valid.</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetOffset..], baseOffset);

    /// <summary>Writes the partition leader epoch. It lies outside the CRC, so the CRC stays valid.</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>
    /// Marks the batch LogAppendTime with the broker's <paramref name="appendTime"/> as its max
    /// timestamp. Both fields are inside the CRC, so the CRC is recomputed.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long appendTime)
    {
        var attributes = new BatchAttributes(BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]));
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], attributes.WithTimestampType(TimestampType.LogAppendTime).Value);
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], appendTime);
        WriteCrc(batch);
    }

    /// <summary>
    /// Writes an idempotent producer's id, epoch and base sequence into a built batch. The fields
    /// are inside the CRC, so the CRC is recomputed.
    /// </summary>
    public static void SetProducerFields(Span<byte> batch, long producerId, short producerEpoch, int baseSequence)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch[ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[ProducerEpochOffset..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[BaseSequenceOffset..], baseSequence);
        WriteCrc(batch);
    }

    /// <summary>Recomputes and stores the CRC after an edit inside the covered range.</summary>
    public static void WriteCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));
}
