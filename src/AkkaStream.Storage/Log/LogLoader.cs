using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Producers;
using AkkaStream.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Log;

/// <summary>
/// Opens a partition's directory as a <see cref="PartitionLog"/>. Thread-safe (stateless); one
/// directory must be opened by one log at a time.
/// </summary>
/// <remarks>
/// After a clean shutdown the segments are opened as they are (their indexes are still checked
/// against the log). After an unclean one, every batch from the recovery point on is validated
/// in full: a crash can tear or garble only data that had not been flushed, and the recovery point
/// is recorded only after the data below it was flushed. The first invalid byte ends the log: the
/// segment is cut there and every later segment deleted, because nothing after a hole can be
/// trusted to follow it. Bytes below the recovery point are not re-read in full, so recovery time
/// grows with the unflushed tail, not with the log.
/// </remarks>
internal static partial class LogLoader
{
    public static PartitionLog Load(string directory, LogConfig config, ILogger logger, TimeProvider time)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        System.IO.Directory.CreateDirectory(directory);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        RemoveLeftovers(directory);
        CompleteInterruptedSwaps(directory, logger);
        var baseOffsets = FindSegmentBaseOffsets(directory);
        // A directory without segments is a new log: there is nothing to recover.
        var cleanShutdown = MarkerFile.Exists(directory, MarkerFile.CleanShutdown) || baseOffsets.Count == 0;

        if (config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) && !MarkerFile.Exists(directory, MarkerFile.OffsetGaps))
        {
            MarkerFile.Create(directory, MarkerFile.OffsetGaps);
        }
        var recoveryPoint = cleanShutdown ? long.MaxValue : OffsetCheckpoint.Read(Path.Combine(directory, OffsetCheckpoint.RecoveryPointFileName)) ?? 0;
        var logStartOffset = OffsetCheckpoint.Read(Path.Combine(directory, OffsetCheckpoint.LogStartOffsetFileName)) ?? 0;
        var epochs = LeaderEpochCache.Load(directory, logger);
        // A missing or unreadable epoch checkpoint loads empty: the history is then read again
        // from every batch, since recovery alone would only learn the epochs after the recovery point.
        var rebuildEpochs = !epochs.WasRestored && baseOffsets.Count > 0;
        if (!cleanShutdown)
        {
            LogRecovering(logger, directory, recoveryPoint);
            // Epochs that started after the recovery point are learned again from the batches. The
            // entry covering the log start is kept: with no record left it cannot be learned again.
            epochs.TruncateFromEnd(new Offset(Math.Max(recoveryPoint, logStartOffset + 1)));
        }

        var tally = new RecoveryTally();
        var segments = OpenSegments(directory, baseOffsets, config, logger, nowMs, recoveryPoint, epochs, tally);
        if (segments.Count == 0)
        {
            segments.Add(LogSegment.Create(directory, logStartOffset, config, logger, nowMs));
        }
        var logEnd = segments[^1].NextOffset;
        if (rebuildEpochs)
        {
            RebuildEpochs(directory, segments, epochs, logger);
        }
        logStartOffset = Math.Clamp(logStartOffset, segments[0].BaseOffset, logEnd);
        // When every record was deleted (log start = log end), the cache still holds the epoch the
        // next record continues, starting at the log end (see LeaderEpochCache.TruncateFromStart).
        epochs.TruncateFromEnd(new Offset(logStartOffset == logEnd ? logEnd + 1 : logEnd));
        epochs.TruncateFromStart(new Offset(logStartOffset));

        if (!cleanShutdown)
        {
            // What survived the crash is valid now; make it durable so the recovery point can move to the end.
            foreach (var segment in segments)
            {
                if (segment.NextOffset > recoveryPoint) segment.Flush();
            }
            OffsetCheckpoint.Write(Path.Combine(directory, OffsetCheckpoint.RecoveryPointFileName), logEnd);
        }
        // After a clean shutdown the snapshot at the log end holds everything; after a crash the
        // batches past the newest snapshot that survived are replayed from their headers.
        var producers = new ProducerStateManager(directory, logger);
        ProducerStateReplay.Rebuild(producers, segments, logEnd, nowMs, config.ProducerIdExpirationMs);
        MarkerFile.Remove(directory, MarkerFile.CleanShutdown);
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return new PartitionLog(directory, config, segments, epochs, producers, logStartOffset, logEnd, logger, time)
        {
            Recovery = cleanShutdown
                ? LogRecovery.Clean(logEnd, took)
                : new LogRecovery(false, recoveryPoint, logEnd, logEnd - Math.Clamp(recoveryPoint, logStartOffset, logEnd),
                    tally.BytesRecovered, tally.TruncatedBytes, tally.DeletedSegments, took),
        };
    }

    private static void RebuildEpochs(string directory, List<LogSegment> segments, LeaderEpochCache epochs, ILogger logger)
    {
        LogRebuildingEpochs(logger, directory);
        epochs.Clear();
        foreach (var segment in segments)
        {
            segment.VisitBatchHeaders(header => epochs.AssignIfNewer(header.LeaderEpoch, new Offset(header.BaseOffset)));
        }
    }

    private static List<LogSegment> OpenSegments(
        string directory, List<long> baseOffsets, LogConfig config, ILogger logger, long nowMs, long recoveryPoint, LeaderEpochCache epochs, RecoveryTally tally)
    {
        var segments = new List<LogSegment>(baseOffsets.Count);
        for (var i = 0; i < baseOffsets.Count; i++)
        {
            var nextBase = i + 1 < baseOffsets.Count ? baseOffsets[i + 1] : long.MaxValue;
            // A segment that Recover will validate needs no separate walk of its tail first.
            var segment = LogSegment.Open(directory, baseOffsets[i], config, logger, nowMs, out var tail, walkTail: nextBase <= recoveryPoint);
            segments.Add(segment);
            long cut;
            if (nextBase > recoveryPoint)
            {
                // This segment holds the recovery point or lies after it: check every batch past it.
                cut = segment.Recover(Math.Max(recoveryPoint, segment.BaseOffset), header => epochs.AssignIfNewer(header.LeaderEpoch, new Offset(header.BaseOffset)));
            }
            else
            {
                cut = tail.IsValid ? 0 : segment.CutBadTail(tail);
            }
            tally.TruncatedBytes += cut;
            var overlapsNext = segment.NextOffset > nextBase;
            if (cut > 0 || overlapsNext)
            {
                if (overlapsNext)
                {
                    segment.TruncateTo(nextBase);
                }
                DeleteSegmentsAfter(directory, baseOffsets, i + 1, config, logger, nowMs, tally);
                if (nextBase > recoveryPoint) tally.BytesRecovered += segment.Size;
                break;
            }
            if (nextBase > recoveryPoint) tally.BytesRecovered += segment.Size;
        }
        return segments;
    }

    private static void DeleteSegmentsAfter(string directory, List<long> baseOffsets, int first, LogConfig config, ILogger logger, long nowMs, RecoveryTally tally)
    {
        for (var j = first; j < baseOffsets.Count; j++)
        {
            var logFile = new FileInfo(SegmentFileNames.LogFile(directory, baseOffsets[j]));
            tally.TruncatedBytes += logFile.Exists ? logFile.Length : 0;
            tally.DeletedSegments++;
            LogDroppedSegment(logger, logFile.FullName);
            LogSegment.DeleteFiles(directory, baseOffsets[j]);
        }
    }

    /// <summary>What recovery cut and kept, counted while the segments are opened.</summary>
    private sealed class RecoveryTally
    {
        public long BytesRecovered { get; set; }

        public long TruncatedBytes { get; set; }

        public int DeletedSegments { get; set; }
    }

    private static List<long> FindSegmentBaseOffsets(string directory)
    {
        var offsets = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.LogSuffix))
        {
            if (SegmentFileNames.TryParseBaseOffset(Path.GetFileName(path), out var baseOffset))
            {
                offsets.Add(baseOffset);
            }
        }
        offsets.Sort();
        return offsets;
    }

    /// <summary>
    /// Removes what an interrupted operation left behind: files marked for deletion, a cleaner's
    /// unfinished output, and indexes whose log file is gone.
    /// </summary>
    private static void RemoveLeftovers(string directory)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var orphanIndex = (name.EndsWith(SegmentFileNames.IndexSuffix, StringComparison.Ordinal)
                    || name.EndsWith(SegmentFileNames.TimeIndexSuffix, StringComparison.Ordinal))
                && SegmentFileNames.TryParseBaseOffset(name, out var baseOffset)
                && !File.Exists(SegmentFileNames.LogFile(directory, baseOffset));
            if (name.EndsWith(SegmentFileNames.DeletedSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFileNames.CleanedSuffix, StringComparison.Ordinal)
                || orphanIndex)
            {
                File.Delete(path);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the leader-epoch cache of {Directory} from its batches")]
    private static partial void LogRebuildingEpochs(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Directory} was not closed cleanly: recovering from offset {RecoveryPoint}")]
    private static partial void LogRecovering(ILogger logger, string directory, long recoveryPoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting {LogPath}: it follows corrupt data and cannot be trusted")]
    private static partial void LogDroppedSegment(ILogger logger, string logPath);
}
