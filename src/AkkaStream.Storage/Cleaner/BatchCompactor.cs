using System.Buffers;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Encoding;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Storage.Cleaner;

/// <summary>What compacting batches removed and rewrote.</summary>
internal struct CompactionCounters
{
    public long RecordsRead;
    public long RecordsRemoved;
    public long TombstonesRemoved;
    public long KeylessRemoved;
    public long BatchesRewritten;
    public long DeleteHorizonsSet;
}

/// <summary>
/// Decides which records of one batch a compaction keeps, and writes the batch back: unchanged
/// when it keeps everything, rewritten with the survivors otherwise, or not at all. Not thread-safe:
/// one cleaning run owns it (it reuses its buffers from batch to batch).
/// </summary>
/// <remarks>
/// <para>A record is dropped when it has no key (Kafka refuses keyless records on append to a
/// compacted topic; AkkaStream's append does not check this yet, so the cleaner drops them), when
/// the map holds a newer offset for its key, or when it is a tombstone (null value) in a batch whose
/// delete horizon has passed. Control batches (transaction markers) are always kept as they are.</para>
/// <para>A rewritten batch keeps its base offset, lastOffsetDelta, producer fields, leader epoch and
/// codec; the survivors keep their offset deltas, so every record keeps its offset and the batch its
/// offset range. The first rewrite of a batch that keeps a tombstone sets the delete horizon (as
/// Kafka's v2 format does, <c>MemoryRecords.filterTo</c>): attribute bit 6, with baseTimestamp
/// holding now + <c>delete.retention.ms</c>. Since readers compute a record's time as baseTimestamp
/// + timestampDelta, every delta is then recomputed against the horizon (and may turn negative),
/// so record timestamps stay exact. maxTimestamp is recomputed from the survivors (CreateTime) or
/// kept (LogAppendTime, where it is the append time of every record).</para>
/// <para>A batch that loses all its records disappears, unless the caller asks to keep it: then a
/// header-only batch with no records remains (Kafka keeps the last batch of each producer id like
/// this, to preserve its sequence numbers). Its timestamps are -1, so time lookups skip it.</para>
/// </remarks>
internal sealed class BatchCompactor(KeyOffsetMap map, long nowMs, long deleteRetentionMs)
{
    private readonly ArrayBufferWriter<byte> _records = new();
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private bool[] _keep = new bool[64];
    private CompactionCounters _counters;

    public CompactionCounters Counters => _counters;

    /// <summary>Writes what survives of <paramref name="batch"/> to <paramref name="output"/>.</summary>
    /// <param name="keepIfEmpty">Keep a header-only batch when no record survives.</param>
    public void Compact(ReadOnlySpan<byte> batch, RecordBatchHeader header, bool keepIfEmpty, IBufferWriter<byte> output)
    {
        if (header.Attributes.IsControl)
        {
            output.Write(batch);
            return;
        }
        _counters.RecordsRead += header.RecordsCount;
        if (_keep.Length < header.RecordsCount)
        {
            _keep = new bool[Math.Max(header.RecordsCount, _keep.Length * 2)];
        }

        var kept = 0;
        var keptTombstone = false;
        using (var reader = new RecordBatchReader(batch))
        {
            var i = 0;
            while (reader.TryReadNext(out var record))
            {
                var keep = Retain(record, header);
                keptTombstone |= keep && record.IsValueNull;
                _keep[i++] = keep;
                if (keep) kept++;
            }
        }
        _counters.RecordsRemoved += header.RecordsCount - kept;

        var setHorizon = keptTombstone && !header.Attributes.HasDeleteHorizon;
        if (kept == header.RecordsCount && kept > 0 && !setHorizon)
        {
            output.Write(batch);
            return;
        }
        _counters.BatchesRewritten++;
        if (kept == 0)
        {
            if (keepIfEmpty)
            {
                WriteEmpty(header, output);
            }
            return;
        }
        var baseTimestamp = header.BaseTimestamp;
        if (setHorizon)
        {
            baseTimestamp = deleteRetentionMs >= long.MaxValue - nowMs ? long.MaxValue : nowMs + deleteRetentionMs;
            _counters.DeleteHorizonsSet++;
        }
        WriteSurvivors(batch, header, baseTimestamp, header.Attributes.HasDeleteHorizon || setHorizon, kept, output);
    }

    private bool Retain(in Record record, RecordBatchHeader header)
    {
        if (record.IsKeyNull)
        {
            _counters.KeylessRemoved++;
            return false;
        }
        if (map.Get(record.Key) > record.Offset)
        {
            return false;
        }
        if (record.IsValueNull && header.Attributes.HasDeleteHorizon && nowMs >= header.BaseTimestamp)
        {
            _counters.TombstonesRemoved++;
            return false;
        }
        return true;
    }

    private void WriteSurvivors(ReadOnlySpan<byte> batch, RecordBatchHeader header, long baseTimestamp, bool hasDeleteHorizon, int kept, IBufferWriter<byte> output)
    {
        _records.ResetWrittenCount();
        var maxTimestamp = long.MinValue;
        using (var reader = new RecordBatchReader(batch))
        {
            var i = 0;
            while (reader.TryReadNext(out var record))
            {
                if (!_keep[i++])
                {
                    continue;
                }
                // The record's own (CreateTime) timestamp, whatever the batch's timestamp type.
                var timestamp = unchecked(header.BaseTimestamp + record.TimestampDelta);
                maxTimestamp = Math.Max(maxTimestamp, timestamp);
                WriteRecord(_records, record, unchecked(timestamp - baseTimestamp));
            }
        }
        if (header.Attributes.TimestampType == TimestampType.LogAppendTime)
        {
            maxTimestamp = header.MaxTimestamp;
        }

        ReadOnlySpan<byte> section = _records.WrittenSpan;
        var compression = header.Attributes.Compression;
        if (compression != CompressionType.None)
        {
            _compressed.ResetWrittenCount();
            CompressionCodecs.For(compression).Compress(section, _compressed);
            section = _compressed.WrittenSpan;
        }
        var size = HeaderSize + section.Length;
        var destination = output.GetSpan(size)[..size];
        var rewritten = header with
        {
            BatchLength = size - LogOverhead,
            Attributes = header.Attributes.WithDeleteHorizon(hasDeleteHorizon),
            BaseTimestamp = baseTimestamp,
            MaxTimestamp = maxTimestamp,
            RecordsCount = kept,
        };
        rewritten.WriteTo(destination);
        section.CopyTo(destination[HeaderSize..]);
        RecordBatch.WriteCrc(destination);
        output.Advance(size);
    }

    private static void WriteEmpty(RecordBatchHeader header, IBufferWriter<byte> output)
    {
        var destination = output.GetSpan(HeaderSize)[..HeaderSize];
        var empty = header with
        {
            BatchLength = HeaderSize - LogOverhead,
            Attributes = header.Attributes.WithCompression(CompressionType.None).WithDeleteHorizon(false),
            BaseTimestamp = -1,
            MaxTimestamp = -1,
            RecordsCount = 0,
        };
        empty.WriteTo(destination);
        RecordBatch.WriteCrc(destination);
        output.Advance(HeaderSize);
    }

    /// <summary>
    /// Re-encodes a decoded record with a new timestamp delta; every other field (attributes,
    /// offset delta, key, value, headers) is copied as it is. Layout as in the Records project's RecordDecoder.
    /// </summary>
    private static void WriteRecord(IBufferWriter<byte> output, in Record record, long timestampDelta)
    {
        var keyLength = record.IsKeyNull ? -1 : record.Key.Length;
        var valueLength = record.IsValueNull ? -1 : record.Value.Length;
        var headers = record.EncodedHeaders;
        var body = 1
            + Varint.SizeOfInt64(timestampDelta)
            + Varint.SizeOfInt32(record.OffsetDelta)
            + Varint.SizeOfInt32(keyLength) + Math.Max(keyLength, 0)
            + Varint.SizeOfInt32(valueLength) + Math.Max(valueLength, 0)
            + Varint.SizeOfInt32(record.HeaderCount) + headers.Length;
        var size = Varint.SizeOfInt32(body) + body;
        var destination = output.GetSpan(size);
        var position = Varint.WriteInt32(destination, body);
        destination[position++] = record.Attributes;
        position += Varint.WriteInt64(destination[position..], timestampDelta);
        position += Varint.WriteInt32(destination[position..], record.OffsetDelta);
        position += Varint.WriteInt32(destination[position..], keyLength);
        record.Key.CopyTo(destination[position..]);
        position += Math.Max(keyLength, 0);
        position += Varint.WriteInt32(destination[position..], valueLength);
        record.Value.CopyTo(destination[position..]);
        position += Math.Max(valueLength, 0);
        position += Varint.WriteInt32(destination[position..], record.HeaderCount);
        headers.CopyTo(destination[position..]);
        output.Advance(position + headers.Length);
    }
}
