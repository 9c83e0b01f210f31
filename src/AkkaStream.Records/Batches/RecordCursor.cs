using AkkaStream.Records.Errors;

namespace AkkaStream.Records.Batches;

/// <summary>
/// The position of a walk over the records section of one batch, and the checks that span records:
/// the count the header declares, no bytes after the last record, and offset deltas. A mutable
/// view: one walk, on one thread.
/// </summary>
/// <remarks>
/// Offset deltas must rise strictly and stay within [0, lastOffsetDelta], but need not be 0, 1, 2…:
/// log compaction drops records from a batch and keeps the survivors' deltas (and the batch's
/// lastOffsetDelta), so gaps are legal and a strict 0..n-1 check would refuse compacted logs.
/// </remarks>
internal ref struct RecordCursor
{
    private readonly ReadOnlySpan<byte> _records;
    private readonly RecordBatchHeader _header;
    private int _position;
    private int _index;
    private int _previousDelta;

    public RecordCursor(ReadOnlySpan<byte> records, scoped in RecordBatchHeader header)
    {
        _records = records;
        _header = header;
        _position = 0;
        _index = 0;
        _previousDelta = -1;
    }

    public readonly RecordBatchHeader Header => _header;

    /// <summary>How many records the walk has returned.</summary>
    public readonly int RecordsRead => _index;

    /// <summary>The next record, or false after the last. Throws <see cref="CorruptRecordException"/>.</summary>
    public bool TryReadNext(out Record record)
    {
        if (_index == _header.RecordsCount)
        {
            if (_position != _records.Length)
            {
                throw new CorruptRecordException(
                    $"the batch declares {_header.RecordsCount} records but {_records.Length - _position} bytes follow the last one");
            }
            record = default;
            return false;
        }
        if (_position == _records.Length)
        {
            throw new CorruptRecordException(
                $"the batch declares {_header.RecordsCount} records but holds only {_index}");
        }
        record = RecordDecoder.Decode(_records[_position..], _header, _index, out var size);
        if (record.OffsetDelta <= _previousDelta || record.OffsetDelta > _header.LastOffsetDelta)
        {
            throw new CorruptRecordException(
                $"record {_index} of the batch has offset delta {record.OffsetDelta}, expected more than {_previousDelta} and at most the last offset delta {_header.LastOffsetDelta}");
        }
        _previousDelta = record.OffsetDelta;
        _position += size;
        _index++;
        return true;
    }
}
