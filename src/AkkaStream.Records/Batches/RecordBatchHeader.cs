using System.Buffers.Binary;
using AkkaStream.Records.Ids;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Batches;

/// <summary>
/// The 61-byte header of a record batch, decoded. Reading it does not check the CRC: see
/// <see cref="RecordBatch.Validate"/> for that. Immutable, so thread-safe.
/// </summary>
public readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    int PartitionLeaderEpoch,
    byte Magic,
    uint Crc,
    BatchAttributes Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordsCount)
{
    /// <summary>The whole batch's size on disk and on the wire.</summary>
    public int SizeInBytes => LogOverhead + BatchLength;

    public long LastOffset => BaseOffset + LastOffsetDelta;

    public long NextOffset => LastOffset + 1;

    public LeaderEpoch LeaderEpoch => new(PartitionLeaderEpoch);

    /// <summary>
    /// Decodes the header at the start of <paramref name="source"/>; false when fewer than
    /// <see cref="HeaderSize"/> bytes are there.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RecordBatchHeader header)
    {
        if (source.Length < HeaderSize)
        {
            header = default;
            return false;
        }
        header = new RecordBatchHeader(
            BinaryPrimitives.ReadInt64BigEndian(source[BaseOffsetOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[BatchLengthOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[PartitionLeaderEpochOffset..]),
            source[MagicOffset],
            BinaryPrimitives.ReadUInt32BigEndian(source[CrcOffset..]),
            new BatchAttributes(BinaryPrimitives.ReadInt16BigEndian(source[AttributesOffset..])),
            BinaryPrimitives.ReadInt32BigEndian(source[LastOffsetDeltaOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[BaseTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[MaxTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[ProducerIdOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(source[ProducerEpochOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[BaseSequenceOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[RecordsCountOffset..]));
        return true;
    }

    /// <summary>
    /// Writes all <see cref="HeaderSize"/> bytes of this header, <see cref="Crc"/> included as it is,
    /// at the start of <paramref name="destination"/>. Call <see cref="RecordBatch.WriteCrc"/> once the
    /// records behind it are in place.
    /// </summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < HeaderSize)
        {
            throw new ArgumentException($"a batch header needs {HeaderSize} bytes, got {destination.Length}", nameof(destination));
        }
        BinaryPrimitives.WriteInt64BigEndian(destination[BaseOffsetOffset..], BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(destination[BatchLengthOffset..], BatchLength);
        BinaryPrimitives.WriteInt32BigEndian(destination[PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        destination[MagicOffset] = Magic;
        BinaryPrimitives.WriteUInt32BigEndian(destination[CrcOffset..], Crc);
        BinaryPrimitives.WriteInt16BigEndian(destination[AttributesOffset..], Attributes.Value);
        BinaryPrimitives.WriteInt32BigEndian(destination[LastOffsetDeltaOffset..], LastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(destination[BaseTimestampOffset..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[MaxTimestampOffset..], MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(destination[ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(destination[BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(destination[RecordsCountOffset..], RecordsCount);
    }

    /// <summary>
    /// True when the header could start a well-formed batch: magic 2, a length that covers the
    /// header, non-negative deltas and counts. A cheap test used to walk a log without checking CRCs.
    /// </summary>
    public bool IsStructurallyValid =>
        Magic == CurrentMagic
        && BatchLength >= HeaderSize - LogOverhead
        && BatchLength <= int.MaxValue - LogOverhead
        && LastOffsetDelta >= 0
        && RecordsCount >= 0
        && BaseOffset >= 0;
}
