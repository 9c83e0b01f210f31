using System.Buffers;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Log;

// Lookups by time: the first offset whose record timestamp is at or after a given time.
public sealed partial class PartitionLog
{
    /// <summary>
    /// The offset of the first record, in offset order, whose timestamp is at or after
    /// <paramref name="timestamp"/> (Kafka's ListOffsets by time); null when every record is older.
    /// </summary>
    public Offset? OffsetForTimestamp(long timestamp)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (LocateTimestampLocked(timestamp) is not var (segment, location))
            {
                return null;
            }
            var offset = location.Header.BaseOffset;
            if (location.Header.Attributes.TimestampType == TimestampType.CreateTime)
            {
                // The batch's largest timestamp qualifies; find its first record that does.
                var length = segment.ReadBatches(location, location.Header.SizeInBytes, long.MaxValue, minOneBatch: true, out var buffer, out _);
                try
                {
                    using var reader = new RecordBatchReader(buffer.AsSpan(0, length));
                    while (reader.TryReadNext(out var record))
                    {
                        if (record.Timestamp >= timestamp)
                        {
                            offset = record.Offset;
                            break;
                        }
                    }
                }
                finally
                {
                    if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            return new Offset(Math.Max(offset, _logStartOffset));
        }
    }
}
