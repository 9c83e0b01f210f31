using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Log;

// Completing segment swaps a crash interrupted (the cleaner's protocol, see
// PartitionLog.TryReplaceSegments): a ".log.swap" file is a replacement that was fully written and
// flushed before it got that name, so the swap was decided and is finished here, never undone.
internal static partial class LogLoader
{
    /// <summary>
    /// For each <c>&lt;base&gt;.log.swap</c>: deletes every segment whose base offset lies in the
    /// range the swap file covers, [base, its next offset), then gives the swap files their final
    /// names. The cleaner always ends a replacement with a batch covering the last offset of the
    /// segments it replaces (see <see cref="Cleaner.BatchCompactor"/>), so that range is exactly
    /// theirs. Index <c>.swap</c> files whose log file is no longer a swap file are dropped; the
    /// segment rebuilds its indexes from the log.
    /// </summary>
    private static void CompleteInterruptedSwaps(string directory, ILogger logger)
    {
        var swapLogs = new SortedSet<long>();
        var swapIndexes = new List<(long BaseOffset, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.SwapSuffix))
        {
            var name = Path.GetFileName(path);
            if (!SegmentFileNames.TryParseBaseOffset(name, out var baseOffset))
            {
                continue;
            }
            if (name.EndsWith(SegmentFileNames.LogSuffix + SegmentFileNames.SwapSuffix, StringComparison.Ordinal))
            {
                swapLogs.Add(baseOffset);
            }
            else
            {
                swapIndexes.Add((baseOffset, path));
            }
        }
        if (swapLogs.Count == 0 && swapIndexes.Count == 0)
        {
            return;
        }
        foreach (var (baseOffset, path) in swapIndexes)
        {
            if (!swapLogs.Contains(baseOffset))
            {
                File.Delete(path);
            }
        }
        foreach (var baseOffset in swapLogs)
        {
            var swapLog = SegmentFileNames.LogFile(directory, baseOffset) + SegmentFileNames.SwapSuffix;
            var nextOffset = ScanNextOffset(swapLog, baseOffset);
            LogCompletingSwap(logger, swapLog, baseOffset, nextOffset);
            DeleteSegmentFilesIn(directory, baseOffset, nextOffset);
            MoveIfExists(SegmentFileNames.IndexFile(directory, baseOffset) + SegmentFileNames.SwapSuffix, SegmentFileNames.IndexFile(directory, baseOffset));
            MoveIfExists(SegmentFileNames.TimeIndexFile(directory, baseOffset) + SegmentFileNames.SwapSuffix, SegmentFileNames.TimeIndexFile(directory, baseOffset));
            File.Move(swapLog, SegmentFileNames.LogFile(directory, baseOffset), overwrite: true);
        }
        DirectorySync.Flush(directory);
    }

    /// <summary>The offset after the last whole batch of a swap file (its base offset when it has none).</summary>
    private static long ScanNextOffset(string path, long baseOffset)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        using var scanner = new SegmentScanner(file, 0, RandomAccess.GetLength(file), headersOnly: true);
        var next = baseOffset;
        while (scanner.MoveNext())
        {
            next = Math.Max(next, scanner.Current.NextOffset);
        }
        return next;
    }

    private static void DeleteSegmentFilesIn(string directory, long fromOffset, long toOffsetExclusive)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var isSegmentFile = name.EndsWith(SegmentFileNames.LogSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFileNames.IndexSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFileNames.TimeIndexSuffix, StringComparison.Ordinal);
            if (isSegmentFile
                && SegmentFileNames.TryParseBaseOffset(name, out var baseOffset)
                && baseOffset >= fromOffset
                && (baseOffset < toOffsetExclusive || baseOffset == fromOffset))
            {
                File.Delete(path);
            }
        }
    }

    private static void MoveIfExists(string from, string to)
    {
        if (File.Exists(from))
        {
            File.Move(from, to, overwrite: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completing an interrupted segment swap: {SwapFile} replaces the segments in offsets [{From}, {To})")]
    private static partial void LogCompletingSwap(ILogger logger, string swapFile, long from, long to);
}
