using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Producers;
using AkkaStream.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Log;

// Removing data: from the end (a follower diverging from its leader), from the start
// (DeleteRecords), and all of it (a follower too far behind its leader's log start).
public sealed partial class PartitionLog
{
    /// <summary>
    /// Removes every record at or above <paramref name="offset"/>, so that the log ends there (or
    /// earlier, at the start of a batch that straddles it: batches are never split). The
    /// leader-epoch cache forgets the epochs that started in the removed part, and the producer
    /// state is rebuilt as of the new end (from the newest snapshot at or below it).
    /// </summary>
    public void TruncateTo(Offset offset)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (offset.Value >= Active.NextOffset)
            {
                return;
            }
            if (offset.Value < _logStartOffset || offset.Value <= _segments[0].BaseOffset)
            {
                TruncateFullyAndStartAtLocked(offset.Value);
                return;
            }
            var before = Active.NextOffset;
            _truncations++;
            while (_segments.Count > 1 && Active.BaseOffset >= offset.Value)
            {
                Active.Delete();
                _segments.RemoveAt(_segments.Count - 1);
            }
            Active.TruncateTo(offset.Value);
            if (_logStartOffset > Active.NextOffset)
            {
                // The batch straddling the offset also held the log start: the log now ends below it.
                // The start comes down to the end, or the next append would take offsets no read serves.
                _logStartOffset = Active.NextOffset;
                WriteLogStartOffset();
            }
            _recoveryPoint = Math.Min(_recoveryPoint, Active.NextOffset);
            Epochs.TruncateFromEnd(new Offset(Active.NextOffset));
            ProducerStateReplay.Rebuild(Producers, _segments, Active.NextOffset, NowMs, Config.ProducerIdExpirationMs);
            LogTruncated(_logger, Directory, before, Active.NextOffset);
        }
    }

    /// <summary>Deletes the whole log and starts an empty one at <paramref name="offset"/>.</summary>
    public void TruncateFullyAndStartAt(Offset offset)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            TruncateFullyAndStartAtLocked(offset.Value);
        }
    }

    /// <summary>
    /// Raises the log start offset to <paramref name="offset"/> (Kafka's DeleteRecords): records
    /// below it are no longer served, and segments wholly below it are deleted.
    /// </summary>
    /// <exception cref="AkkaStreamException"><c>OffsetOutOfRange</c> above the log end.</exception>
    public void DeleteRecordsBefore(Offset offset)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (offset.Value > Active.NextOffset || offset.Value < 0)
            {
                throw new AkkaStreamException(ErrorCode.OffsetOutOfRange,
                    $"cannot delete records before {offset}: the log ends at {Active.NextOffset}");
            }
            if (offset.Value <= _logStartOffset)
            {
                return;
            }
            RaiseLogStartOffset(offset.Value);
            DeleteOldestSegments(CountSegmentsBelowLogStart());
        }
    }

    private void TruncateFullyAndStartAtLocked(long offset)
    {
        var before = Active.NextOffset;
        _truncations++;
        foreach (var segment in _segments) segment.Delete();
        _segments.Clear();
        _segments.Add(LogSegment.Create(Directory, offset, Config, _logger, NowMs));
        _recoveryPoint = offset;
        _logStartOffset = offset;
        WriteLogStartOffset();
        Epochs.Clear();
        Producers.Clear();
        Producers.DeleteAllSnapshots();
        LogTruncated(_logger, Directory, before, offset);
    }

    private void RaiseLogStartOffset(long offset)
    {
        _logStartOffset = offset;
        WriteLogStartOffset();
        Epochs.TruncateFromStart(new Offset(offset));
    }

    private void WriteLogStartOffset() =>
        OffsetCheckpoint.Write(Path.Combine(Directory, OffsetCheckpoint.LogStartOffsetFileName), _logStartOffset);

    private int CountSegmentsBelowLogStart()
    {
        var count = 0;
        while (count < _segments.Count - 1 && _segments[count].NextOffset <= _logStartOffset)
        {
            count++;
        }
        return count;
    }

    /// <summary>Deletes the <paramref name="count"/> oldest segments (never the active one) and moves the log start past them.</summary>
    private void DeleteOldestSegments(int count)
    {
        count = Math.Min(count, _segments.Count - 1);
        if (count <= 0)
        {
            return;
        }
        for (var i = 0; i < count; i++)
        {
            _segments[i].Delete();
        }
        _segments.RemoveRange(0, count);
        Producers.DeleteSnapshotsBelow(_segments[0].BaseOffset);
        if (_segments[0].BaseOffset > _logStartOffset)
        {
            RaiseLogStartOffset(_segments[0].BaseOffset);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Truncated {Directory} from log end {Before} to {After}")]
    private static partial void LogTruncated(ILogger logger, string directory, long before, long after);
}
