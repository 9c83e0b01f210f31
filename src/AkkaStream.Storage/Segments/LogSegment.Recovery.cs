using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Segments;

// Recovery after an unclean shutdown: every batch from a trusted point on is checked in full
// (length, magic, CRC, increasing offsets), and the file is cut at the first byte that fails.
internal sealed partial class LogSegment
{
    /// <summary>
    /// Validates every batch that may hold offsets from <paramref name="fromOffset"/> on (the log's
    /// recovery point: everything below it was flushed and checked before), rebuilding the index
    /// entries on the way, and cuts the file at the first invalid byte. The walk starts at the last
    /// index entry at or below that offset when the batch there agrees with the entry, otherwise at
    /// the start of the segment. <paramref name="onValidBatch"/> sees each valid batch's header.
    /// </summary>
    /// <returns>The number of bytes cut off; 0 when everything was valid.</returns>
    public long Recover(long fromOffset, Action<RecordBatchHeader>? onValidBatch)
    {
        var entry = OffsetIndex.Lookup(fromOffset);
        long start = 0;
        if (entry.Position > 0 && BatchEndsAt(entry))
        {
            start = entry.Position;
            OffsetIndex.TruncateToPosition(entry.Position + 1);
        }
        else
        {
            OffsetIndex.Clear();
        }
        ResetStateTo(start);

        string? problem = null;
        using var scanner = new SegmentScanner(_log, start, Size);
        while (scanner.MoveNext())
        {
            var header = scanner.Current;
            if (RecordBatch.Validate(scanner.CurrentBytes, out var reason) != ErrorCode.None)
            {
                problem = reason;
                break;
            }
            if (!FollowsInOrder(header))
            {
                problem = $"offset {header.BaseOffset} does not follow {NextOffset - 1}";
                break;
            }
            Track(header, scanner.Position);
            onValidBatch?.Invoke(header);
        }
        long validBytes;
        if (problem is not null)
        {
            validBytes = scanner.Position;
        }
        else if (scanner.End != ScanEnd.EndOfFile)
        {
            validBytes = scanner.NextPosition;
            problem = Describe(scanner.End);
        }
        else
        {
            validBytes = Size;
        }
        var cut = Size - validBytes;
        if (cut > 0)
        {
            LogCorruption(_logger, LogPath, validBytes, problem!, cut);
            RandomAccess.SetLength(_log, validBytes);
            Size = validBytes;
        }
        return cut;
    }

    /// <summary>Cuts the segment at a bad tail found by <see cref="Open"/>, reporting it.</summary>
    public long CutBadTail(TailCheck tail)
    {
        var cut = Size - tail.ValidBytes;
        if (cut > 0)
        {
            LogCorruption(_logger, LogPath, tail.ValidBytes, tail.Problem ?? "invalid data", cut);
            CutAt(tail.ValidBytes);
        }
        return cut;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Corrupt data in {LogPath} at position {Position}: {Problem}. Truncating {Bytes} bytes from there")]
    private static partial void LogCorruption(ILogger logger, string logPath, long position, string problem, long bytes);
}
