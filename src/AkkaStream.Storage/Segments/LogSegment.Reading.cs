using System.Buffers;
using AkkaStream.Records.Batches;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Segments;

/// <summary>A batch found in a segment: where it starts and its header.</summary>
internal readonly record struct BatchLocation(long Position, RecordBatchHeader Header);

// Reading: finding the batch that holds an offset or a timestamp, reading whole batches from
// there, and truncating the segment at a batch boundary.
internal sealed partial class LogSegment
{
    /// <summary>
    /// The first batch whose last offset is at or above <paramref name="offset"/>, i.e. the batch
    /// holding it, or the next one when compaction removed it; null when the segment ends first.
    /// </summary>
    public BatchLocation? Locate(long offset)
    {
        if (offset >= NextOffset)
        {
            return null;
        }
        var entry = OffsetIndex.Lookup(offset);
        if (entry.Position > 0 && !BatchEndsAt(entry))
        {
            // The index points somewhere the log disagrees with: it cannot be trusted for this or
            // any later lookup. The log is the truth; rebuild the index from it.
            DiscardIndexes();
            RebuildStateAndSaveIndexes(0);
            entry = new OffsetPosition(BaseOffset, 0);
        }
        return FirstBatchFrom(entry.Position, header => header.LastOffset >= offset);
    }

    /// <summary>The first batch whose largest timestamp is at or above <paramref name="timestamp"/>, or null.</summary>
    public BatchLocation? LocateTimestamp(long timestamp)
    {
        if (MaxTimestamp < timestamp)
        {
            return null;
        }
        var before = TimeIndex.LookupBefore(timestamp);
        var start = before.Offset > BaseOffset ? Locate(before.Offset)?.Position ?? 0 : 0;
        return FirstBatchFrom(start, header => header.MaxTimestamp >= timestamp);
    }

    /// <summary>
    /// Reads whole batches starting with the one at <paramref name="from"/>: as many as fit in
    /// <paramref name="maxBytes"/> (the first one always, when <paramref name="minOneBatch"/>), and
    /// only those that end below <paramref name="maxOffsetExclusive"/>. The bytes go into a buffer
    /// rented from <see cref="ArrayPool{T}.Shared"/>, which the caller returns.
    /// </summary>
    /// <returns>The number of bytes of whole batches in <paramref name="buffer"/>, 0 when none qualify.</returns>
    public int ReadBatches(BatchLocation from, int maxBytes, long maxOffsetExclusive, bool minOneBatch, out byte[] buffer, out long nextOffset)
    {
        buffer = [];
        nextOffset = from.Header.BaseOffset;
        if (from.Header.LastOffset >= maxOffsetExclusive || (!minOneBatch && from.Header.SizeInBytes > maxBytes))
        {
            return 0;
        }
        var want = (int)Math.Min(Size - from.Position, Math.Max(maxBytes, from.Header.SizeInBytes));
        buffer = ArrayPool<byte>.Shared.Rent(want);
        var read = FileReads.ReadFully(_log, buffer.AsSpan(0, want), from.Position);
        var length = 0;
        foreach (var header in new RecordBatchEnumerator(buffer.AsSpan(0, read)))
        {
            var end = length + header.SizeInBytes;
            if (header.LastOffset >= maxOffsetExclusive || (length > 0 && end > maxBytes))
            {
                break;
            }
            length = end;
            nextOffset = header.NextOffset;
        }
        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
        return length;
    }

    /// <summary>
    /// Removes every batch that holds offsets at or above <paramref name="offset"/>. A batch that
    /// straddles the offset goes entirely: batches are never split.
    /// </summary>
    /// <returns>The offset the segment now ends at, or null when nothing was removed.</returns>
    public long? TruncateTo(long offset)
    {
        if (Locate(offset) is not { } first)
        {
            return null;
        }
        CutAt(first.Position);
        return first.Header.BaseOffset;
    }

    /// <summary>Calls <paramref name="visit"/> with the header of every batch, in order.</summary>
    public void VisitBatchHeaders(Action<RecordBatchHeader> visit) =>
        FirstBatchFrom(0, header =>
        {
            visit(header);
            return false;
        });

    private BatchLocation? FirstBatchFrom(long start, Func<RecordBatchHeader, bool> isWanted)
    {
        using var scanner = new SegmentScanner(_log, start, Size, headersOnly: true, LookupChunkBytes);
        while (scanner.MoveNext())
        {
            if (isWanted(scanner.Current))
            {
                return new BatchLocation(scanner.Position, scanner.Current);
            }
        }
        return null;
    }
}
