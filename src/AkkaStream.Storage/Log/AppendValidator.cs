using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Storage.Log;

/// <summary>
/// Checks the batches offered to a log before anything is written, so that bad input is refused
/// with a Kafka error and the log never holds a batch it could not serve. Thread-safe (stateless).
/// </summary>
internal static class AppendValidator
{
    /// <summary>What a payload holds, once it has been found valid.</summary>
    public readonly record struct PayloadSummary(int BatchCount, long RecordCount, long MaxTimestamp, long FirstBaseOffset, long LastOffset);

    /// <summary>
    /// Validates the batches of a producer's payload, before the leader assigns offsets: every
    /// batch whole, CRC-valid and within <c>max.message.bytes</c>, its record count matching its
    /// offset span, and nothing but batches in the payload.
    /// </summary>
    public static PayloadSummary ValidateFromProducer(ReadOnlySpan<byte> payload, LogConfig config) =>
        Validate(payload, config, fromProducer: true, expectedFirstOffset: 0, allowOffsetGaps: false);

    /// <summary>
    /// Validates batches a follower copied from its leader: whole, CRC-valid, and with offsets that
    /// continue the log from <paramref name="logEndOffset"/> (with gaps only in compacted logs).
    /// </summary>
    public static PayloadSummary ValidateFromLeader(ReadOnlySpan<byte> payload, LogConfig config, long logEndOffset, bool allowOffsetGaps) =>
        Validate(payload, config, fromProducer: false, logEndOffset, allowOffsetGaps);

    private static PayloadSummary Validate(ReadOnlySpan<byte> payload, LogConfig config, bool fromProducer, long expectedFirstOffset, bool allowOffsetGaps)
    {
        if (payload.IsEmpty)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRecord, "the append holds no record batch");
        }
        var contiguous = !allowOffsetGaps;
        var batches = 0;
        long records = 0, maxTimestamp = -1, firstBase = -1, next = expectedFirstOffset;
        var enumerator = new RecordBatchEnumerator(payload);
        while (enumerator.MoveNext())
        {
            var header = enumerator.Current;
            if (fromProducer && header.SizeInBytes > config.MaxMessageBytes)
            {
                throw new AkkaStreamException(ErrorCode.MessageTooLarge,
                    $"a batch of {header.SizeInBytes} bytes exceeds max.message.bytes ({config.MaxMessageBytes})");
            }
            if (RecordBatch.Validate(enumerator.CurrentBytes, out var reason) != ErrorCode.None)
            {
                throw new CorruptRecordException($"batch {batches} of the append is corrupt: {reason}");
            }
            if (fromProducer && header.RecordsCount != header.LastOffsetDelta + 1)
            {
                throw new AkkaStreamException(ErrorCode.InvalidRecord,
                    $"batch {batches} declares {header.RecordsCount} records but spans {header.LastOffsetDelta + 1} offsets");
            }
            if (fromProducer && config.CleanupPolicy.HasFlag(CleanupPolicy.Compact))
            {
                RequireKeys(enumerator.CurrentBytes, batches);
            }
            if (!fromProducer && (contiguous ? header.BaseOffset != next : header.BaseOffset < next))
            {
                throw new AkkaStreamException(ErrorCode.CorruptMessage,
                    $"batch {batches} starts at offset {header.BaseOffset}, expected {(contiguous ? "" : "at least ")}{next}");
            }
            if (firstBase < 0) firstBase = header.BaseOffset;
            next = fromProducer ? next + header.LastOffsetDelta + 1 : header.NextOffset;
            maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
            records += header.RecordsCount;
            batches++;
        }
        if (enumerator.Remaining != 0)
        {
            throw new CorruptRecordException(
                $"the append has {enumerator.Remaining} bytes after its last whole batch ({(enumerator.StoppedAtMalformedHeader ? "malformed header" : "truncated batch")})");
        }
        return new PayloadSummary(batches, records, maxTimestamp, firstBase, next - 1);
    }

    /// <summary>
    /// A compacted log keeps the latest record of each key, so a record without a key could never
    /// be compacted away: Kafka refuses such records, and so do we. Walking the records also checks
    /// their structure, which the CRC alone does not.
    /// </summary>
    private static void RequireKeys(ReadOnlySpan<byte> batch, int batchIndex)
    {
        using var reader = new RecordBatchReader(batch);
        if (reader.Header.Attributes.IsControl)
        {
            return;
        }
        while (reader.TryReadNext(out var record))
        {
            if (record.IsKeyNull)
            {
                throw new AkkaStreamException(ErrorCode.InvalidRecord,
                    $"batch {batchIndex}: a compacted log cannot accept a record without a key (offset delta {record.OffsetDelta})");
            }
        }
    }
}
