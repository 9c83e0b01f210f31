using AkkaStream.Records.Batches;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Segments;

// Loading: how a segment rebuilds its in-memory state (end offset, timestamps, index tail) from
// its files, trusting an index only as far as it agrees with the log.
internal sealed partial class LogSegment
{
    private const int LookupChunkBytes = 8 * 1024;

    private TailCheck LoadIndexesAndWalkTail(bool walkTail)
    {
        var indexesLoaded = OffsetIndex.TryLoad(Size) & TimeIndex.TryLoad(long.MaxValue);
        if (indexesLoaded && OffsetIndex.Last is { } last && !BatchEndsAt(last))
        {
            indexesLoaded = false;
        }
        // The last time index entry becomes the segment's largest timestamp, which retention trusts:
        // a damaged one could delete the segment early or keep it forever. It must name a batch.
        if (indexesLoaded && TimeIndex.Last is { } lastTime && !BatchHasLargestTimestamp(lastTime))
        {
            indexesLoaded = false;
        }
        if (!indexesLoaded)
        {
            DiscardIndexes();
        }
        if (!walkTail)
        {
            // The caller recovers this segment next, which reads and checks the same bytes.
            return TailCheck.Valid(Size);
        }
        return RebuildStateAndSaveIndexes(OffsetIndex.Last?.Position ?? 0);
    }

    private void DiscardIndexes()
    {
        LogIndexRebuild(_logger, LogPath);
        OffsetIndex.Reset();
        TimeIndex.Reset();
    }

    /// <summary>
    /// <see cref="RebuildStateFrom"/>, then writes the entries the walk added: they point into data
    /// the file holds, and an index rebuilt but not written would be lost at close (which writes
    /// only segments above the recovery point) and rebuilt again at every open.
    /// </summary>
    private TailCheck RebuildStateAndSaveIndexes(long start)
    {
        var tail = RebuildStateFrom(start);
        OffsetIndex.WritePending();
        TimeIndex.WritePending();
        return tail;
    }

    /// <summary>
    /// Recomputes the segment's end offset, timestamps and index tail by walking batch headers from
    /// <paramref name="start"/> (the position of the last index entry, which the caller trusts) to the
    /// end of the file.
    /// </summary>
    private TailCheck RebuildStateFrom(long start)
    {
        ResetStateTo(start);
        using var scanner = new SegmentScanner(_log, start, Size, headersOnly: true, LookupChunkBytes);
        while (scanner.MoveNext())
        {
            var header = scanner.Current;
            if (!FollowsInOrder(header))
            {
                return new TailCheck(false, scanner.Position, $"offset {header.BaseOffset} out of order after {NextOffset - 1}");
            }
            Track(header, scanner.Position);
        }
        return scanner.End == ScanEnd.EndOfFile
            ? TailCheck.Valid(Size)
            : new TailCheck(false, scanner.NextPosition, Describe(scanner.End));
    }

    /// <summary>
    /// Sets the in-memory state to what it was just before the batch at <paramref name="start"/>
    /// was appended, as far as the indexes up to there tell. Time index entries past the last offset
    /// index entry are dropped: they may describe data that is gone, and are added again for the
    /// data that is still there as it is walked.
    /// </summary>
    private void ResetStateTo(long start)
    {
        TimeIndex.TruncateToOffset(OffsetIndex.Last is { } entry ? entry.Offset + 1 : BaseOffset);
        MaxTimestamp = TimeIndex.Last?.Timestamp ?? -1;
        _offsetOfMaxTimestamp = TimeIndex.Last?.Offset ?? BaseOffset;
        FirstBatchTimestamp = start > 0 && ReadHeaderAt(0) is { } first ? first.MaxTimestamp : -1;
        // The batch at a trusted start position was checked against its index entry by the caller.
        NextOffset = start > 0 && ReadHeaderAt(start) is { } resumed ? resumed.BaseOffset : BaseOffset;
        _bytesSinceLastIndexEntry = 0;
    }

    /// <summary>
    /// True when the batch can follow what the segment holds so far. Offsets must fit the index, and
    /// follow on without a gap unless the log is compacted (compaction leaves gaps). The base offset
    /// lies outside the batch's CRC, so this check is what catches a damaged one.
    /// </summary>
    private bool FollowsInOrder(RecordBatchHeader header) =>
        (AllowsOffsetGaps ? header.BaseOffset >= NextOffset : header.BaseOffset == NextOffset)
        && header.LastOffset - BaseOffset <= int.MaxValue;

    private static string Describe(ScanEnd end) =>
        end == ScanEnd.MalformedHeader ? "malformed batch header" : "file ends inside a batch";

    /// <summary>True when a well-formed batch starts at the entry's position and ends at its offset.</summary>
    private bool BatchEndsAt(OffsetPosition entry) =>
        ReadHeaderAt(entry.Position) is { } header && header.IsStructurallyValid && header.LastOffset == entry.Offset;

    /// <summary>True when the batch ending at the entry's offset carries the entry's timestamp as its largest.</summary>
    private bool BatchHasLargestTimestamp(TimestampOffset entry) =>
        FirstBatchFrom(OffsetIndex.Lookup(entry.Offset).Position, header => header.LastOffset >= entry.Offset) is { } batch
        && batch.Header.LastOffset == entry.Offset
        && batch.Header.MaxTimestamp == entry.Timestamp;

    private RecordBatchHeader? ReadHeaderAt(long position)
    {
        Span<byte> bytes = stackalloc byte[RecordBatchLayout.HeaderSize];
        if (position + bytes.Length > Size || RandomAccess.Read(_log, bytes, position) < bytes.Length)
        {
            return null;
        }
        RecordBatchHeader.TryRead(bytes, out var header);
        return header;
    }

    /// <summary>Cuts the log file at <paramref name="validBytes"/> and recomputes the state from the index.</summary>
    private void CutAt(long validBytes)
    {
        RandomAccess.SetLength(_log, validBytes);
        Size = validBytes;
        OffsetIndex.TruncateToPosition((int)Math.Min(validBytes, int.MaxValue));
        RebuildStateFrom(OffsetIndex.Last?.Position ?? 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index of {LogPath} is missing, corrupt or disagrees with the log: rebuilding it from the log")]
    private static partial void LogIndexRebuild(ILogger logger, string logPath);
}
