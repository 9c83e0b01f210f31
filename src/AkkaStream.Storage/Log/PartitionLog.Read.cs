using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Segments;

namespace AkkaStream.Storage.Log;

// Reading: whole batches from an offset, and the offset lookups consumers ask for.
public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches starting with the one that holds <paramref name="offset"/>, up to
    /// <paramref name="maxBytes"/> (the first batch is returned whole even when larger, if
    /// <paramref name="minOneBatch"/>), from one segment, and only batches that end below
    /// <paramref name="maxOffset"/> (the high watermark, for consumers) or the log end.
    /// </summary>
    /// <exception cref="AkkaStreamException"><c>OffsetOutOfRange</c> below the log start or above the log end.</exception>
    public LogReadResult Read(Offset offset, int maxBytes, Offset? maxOffset = null, bool minOneBatch = true)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            var logEnd = Active.NextOffset;
            if (offset.Value < _logStartOffset || offset.Value > logEnd)
            {
                throw new AkkaStreamException(ErrorCode.OffsetOutOfRange,
                    $"offset {offset} is outside the log [{_logStartOffset}, {logEnd}] of {Directory}");
            }
            var upper = Math.Min(maxOffset?.Value ?? logEnd, logEnd);
            for (var i = FloorSegmentIndex(offset.Value); i < _segments.Count && offset.Value < upper; i++)
            {
                if (_segments[i].Locate(offset.Value) is not { } location)
                {
                    continue;
                }
                var length = _segments[i].ReadBatches(location, maxBytes, upper, minOneBatch, out var buffer, out var next);
                return new LogReadResult(buffer, length, new Offset(length == 0 ? offset.Value : next), new Offset(_logStartOffset), new Offset(logEnd));
            }
            return new LogReadResult([], 0, offset, new Offset(_logStartOffset), new Offset(logEnd));
        }
    }

    /// <summary>
    /// The first batch at or after the log start whose largest timestamp is at or above
    /// <paramref name="timestamp"/>: its location and the segment holding it, or null when every
    /// record is older.
    /// </summary>
    private (LogSegment Segment, BatchLocation Location)? LocateTimestampLocked(long timestamp)
    {
        foreach (var segment in _segments)
        {
            if (segment.NextOffset <= _logStartOffset || segment.MaxTimestamp < timestamp)
            {
                continue;
            }
            if (segment.LocateTimestamp(timestamp) is { } location)
            {
                return (segment, location);
            }
        }
        return null;
    }

    /// <summary>The index of the last segment whose base offset is at or below <paramref name="offset"/>.</summary>
    private int FloorSegmentIndex(long offset)
    {
        int lo = 0, hi = _segments.Count - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }
}
