using System.Buffers;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Log;
using AkkaStream.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Cleaner;

/// <summary>
/// Log compaction (<c>cleanup.policy</c> <c>compact</c> or <c>compact,delete</c>): rewrites the
/// inactive segments of a <see cref="PartitionLog"/> keeping, for each key, only its latest record,
/// at its original offset. The broker's log manager decides when to call it
/// (<see cref="NeedsCleaning"/>) and on which thread; the cleaner starts no threads.
/// </summary>
/// <remarks>
/// <para><b>Thread-safety.</b> An instance holds only its options and may clean several logs at
/// once from several threads; one log is cleaned by one run at a time (a second concurrent
/// <see cref="Clean"/> of the same log throws). The log stays fully usable during a run: the
/// segments are read and rewritten without the log's lock, which is taken only to look at the
/// segments and, briefly, to swap each rewritten group in.</para>
/// <para><b>A run.</b> (1) Under the lock, take a view of the segments. (2) Find the cleanable part
/// (<see cref="CleanableSection"/>): inactive segments below the upper bound and older than
/// <c>min.compaction.lag.ms</c>, split into a clean head (compacted by an earlier run, up to the
/// <c>cleaner-offset-checkpoint</c>) and a dirty tail. (3) Map each key of the dirty tail to its
/// latest offset (<see cref="KeyOffsetMap"/>). (4) Rewrite the head and the tail, in groups of
/// adjacent segments merged up to <c>segment.bytes</c> (<see cref="SegmentGrouping"/>), dropping
/// every record the map knows a newer offset for, keyless records, and tombstones whose delete
/// horizon has passed (<see cref="BatchCompactor"/>). (5) Swap each group's output in. (6) Record
/// the end of the compacted part as the new first dirty offset.</para>
/// <para><b>Crash safety.</b> A group's output is written as <c>&lt;base&gt;.log.cleaned</c> (and
/// <c>.index.cleaned</c>, <c>.timeindex.cleaned</c>), flushed, renamed to <c>.swap</c> and the
/// directory flushed: from then on the swap is decided. Under the log's lock the replaced segments
/// are renamed <c>.deleted</c>, the <c>.swap</c> files get their final names, and the
/// <c>.deleted</c> files are removed (<see cref="PartitionLog.TryReplaceSegments"/>). At the next
/// open after a crash, <c>.cleaned</c> and <c>.deleted</c> files are removed and a <c>.swap</c> file
/// replaces every segment in the offset range it covers (<see cref="LogLoader"/>), so the log is
/// either as before the group's swap or as after it. For that range to be exact, a group's output
/// always keeps its last batch, emptied of records if none survives, and so ends at the same
/// offset as the segments it replaces. The checkpoint is written after the swaps; a crash before
/// it only makes the next run compact the same part again.</para>
/// <para><b>Not done</b> (compared with Kafka): aborted transactions are not recognized (their
/// records compete for their keys like committed ones) and transaction markers are never removed;
/// the last batch of each producer id is kept as an empty batch when emptied, judged within the
/// cleaned part only; a log whose only work is expired tombstones is not flagged by
/// <see cref="NeedsCleaning"/> (Kafka tracks the earliest delete horizon for that).</para>
/// </remarks>
public sealed partial class LogCleaner(LogCleanerOptions? options = null)
{
    public LogCleanerOptions Options { get; } = options ?? LogCleanerOptions.Default;

    /// <summary>Test hook: called after each step of a swap (see <see cref="CleanerStep"/>); throwing from it simulates a crash there.</summary>
    internal Action<CleanerStep>? OnStep { get; set; }

    /// <summary>
    /// Dirty bytes over all bytes of the cleanable part of <paramref name="log"/> (0 when nothing
    /// is cleanable), with <paramref name="upperBound"/> (e.g. the high watermark) capping it.
    /// </summary>
    public double DirtyRatio(PartitionLog log, Offset? upperBound = null) => Section(log, upperBound).Section.DirtyRatio;

    /// <summary>
    /// True when the log is compacted and its dirty part is large enough
    /// (<c>min.cleanable.dirty.ratio</c>) or has waited too long (<c>max.compaction.lag.ms</c>).
    /// </summary>
    public bool NeedsCleaning(PartitionLog log, Offset? upperBound = null)
    {
        if (!log.Config.CleanupPolicy.HasFlag(CleanupPolicy.Compact))
        {
            return false;
        }
        var (view, section) = Section(log, upperBound);
        return section.NeedsCleaning(view.Config);
    }

    /// <summary>Cleans the log when <see cref="NeedsCleaning"/> says so; null otherwise.</summary>
    public CleanerResult? CleanIfNeeded(PartitionLog log, Offset? upperBound = null) =>
        NeedsCleaning(log, upperBound) ? Clean(log, upperBound) : null;

    /// <summary>
    /// Compacts the cleanable part of <paramref name="log"/> now, whatever its dirty ratio: never
    /// the active segment, nothing at or above <paramref name="upperBound"/> (default: the log
    /// end), nothing younger than <c>min.compaction.lag.ms</c>. Does nothing unless the log's
    /// <c>cleanup.policy</c> includes <c>compact</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another run is cleaning this log.</exception>
    /// <exception cref="ObjectDisposedException">The log is closed.</exception>
    public CleanerResult Clean(PartitionLog log, Offset? upperBound = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!log.TryBeginCleaning())
        {
            throw new InvalidOperationException($"{log.Directory} is already being cleaned");
        }
        try
        {
            var (view, section) = Section(log, upperBound);
            if (!view.Config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) || !section.HasCleanableSegments)
            {
                return CleanerResult.Nothing(section.FirstDirtyOffset);
            }
            return new Run(this, log, view, section).Execute();
        }
        finally
        {
            log.EndCleaning();
        }
    }

    private static (CleaningView View, CleanableSection Section) Section(PartitionLog log, Offset? upperBound)
    {
        var view = log.CaptureCleaningView();
        var section = CleanableSection.Compute(view, CleanerCheckpoint.Read(view.Directory), upperBound?.Value ?? long.MaxValue);
        return (view, section);
    }

    /// <summary>One cleaning run of one log. Not thread-safe: lives on the calling thread for the duration of <see cref="Clean"/>.</summary>
    private sealed class Run(LogCleaner cleaner, PartitionLog log, CleaningView view, CleanableSection section)
    {
        private readonly IReadOnlyList<SegmentSnapshot> _segments = view.Inactive;
        private readonly KeyOffsetMap _map = new(cleaner.Options.MaxMapEntries);
        private readonly Dictionary<long, long> _lastBatchOfProducer = [];
        private long _bytesRead;
        private long _bytesWritten;
        private int _segmentsBefore;
        private int _segmentsAfter;

        public CleanerResult Execute()
        {
            var end = section.EndIndex;
            try
            {
                end = BuildOffsetMap();
                FindLastBatchOfEachProducer(end);
            }
            catch (Exception e) when (e is ObjectDisposedException || (e is CorruptRecordException && log.ChangedSince(view)))
            {
                // A segment was deleted (retention, truncation, close) or cut short while being read.
                return Result(aborted: true, section.FirstDirtyOffset, new CompactionCounters());
            }

            var compactor = new BatchCompactor(_map, view.NowMs, view.Config.DeleteRetentionMs);
            foreach (var group in SegmentGrouping.Group(_segments, section.FirstIndex, end, view.Config.SegmentBytes))
            {
                if (!CleanGroup(group, compactor))
                {
                    LogAborted(log.Logger, view.Directory, _segments[group.Start].BaseOffset);
                    return Result(aborted: true, section.FirstDirtyOffset, compactor.Counters);
                }
            }
            var cleanedUpTo = Math.Max(section.FirstDirtyOffset, _segments[end - 1].NextOffset);
            CleanerCheckpoint.Write(view.Directory, cleanedUpTo);
            var result = Result(aborted: false, cleanedUpTo, compactor.Counters);
            LogCleaned(log.Logger, view.Directory, _segmentsBefore, _segmentsAfter, _bytesRead, _bytesWritten, result.RecordsRemoved, cleanedUpTo);
            return result;
        }

        /// <summary>
        /// Maps the keys of the dirty segments, a whole segment at a time, until the map is full.
        /// Returns the end (exclusive) of the segments to clean: the map covers every dirty one
        /// below it, so each of their records is either the latest of its key or known superseded.
        /// </summary>
        private int BuildOffsetMap()
        {
            var end = section.DirtyIndex;
            while (end < section.EndIndex && (end == section.DirtyIndex || !_map.IsFull))
            {
                var segment = _segments[end];
                using var scanner = new SegmentScanner(segment.Segment.Handle, 0, segment.Size);
                while (scanner.MoveNext())
                {
                    if (scanner.Current.Attributes.IsControl)
                    {
                        continue;
                    }
                    using var reader = new Records.Batches.RecordBatchReader(scanner.CurrentBytes);
                    while (reader.TryReadNext(out var record))
                    {
                        if (!record.IsKeyNull)
                        {
                            _map.Put(record.Key, record.Offset);
                        }
                    }
                }
                ThrowIfIncomplete(scanner, segment);
                end++;
            }
            return end == section.DirtyIndex ? section.EndIndex : end;
        }

        /// <summary>Notes the last batch of each producer id among the segments to clean (headers only).</summary>
        private void FindLastBatchOfEachProducer(int end)
        {
            for (var i = section.FirstIndex; i < end; i++)
            {
                using var scanner = new SegmentScanner(_segments[i].Segment.Handle, 0, _segments[i].Size, headersOnly: true);
                while (scanner.MoveNext())
                {
                    if (scanner.Current.ProducerId >= 0)
                    {
                        _lastBatchOfProducer[scanner.Current.ProducerId] = scanner.Current.BaseOffset;
                    }
                }
            }
        }

        /// <summary>Rewrites one group into a new segment and swaps it in; false when the log changed meanwhile.</summary>
        private bool CleanGroup(SegmentGroup group, BatchCompactor compactor)
        {
            var first = _segments[group.Start];
            var last = _segments[group.End - 1];
            LogSegment replacement;
            try
            {
                replacement = WriteCleaned(group, compactor);
            }
            catch (Exception e) when (e is ObjectDisposedException || (e is CorruptRecordException && log.ChangedSince(view)))
            {
                return false;
            }
            cleaner.OnStep?.Invoke(CleanerStep.CleanedFilesWritten);

            replacement.ChangeFileSuffixes(SegmentFileNames.CleanedSuffix, SegmentFileNames.SwapSuffix);
            DirectorySync.Flush(view.Directory);
            cleaner.OnStep?.Invoke(CleanerStep.SwapFilesWritten);

            var replaced = new LogSegment[group.Count];
            for (var i = 0; i < replaced.Length; i++) replaced[i] = _segments[group.Start + i].Segment;
            var successor = view.Segments[group.End];
            if (!log.TryReplaceSegments(view, replaced, successor, replacement, cleaner.OnStep))
            {
                replacement.Delete();
                return false;
            }
            _segmentsBefore += group.Count;
            _segmentsAfter++;
            LogGroupSwapped(log.Logger, view.Directory, group.Count, first.BaseOffset, last.NextOffset, replacement.Size);
            return true;
        }

        private LogSegment WriteCleaned(SegmentGroup group, BatchCompactor compactor)
        {
            var first = _segments[group.Start];
            var replacement = LogSegment.Create(view.Directory, first.BaseOffset, view.Config, log.Logger, view.NowMs, SegmentFileNames.CleanedSuffix);
            try
            {
                var pending = new ArrayBufferWriter<byte>(cleaner.Options.WriteBufferBytes);
                for (var i = group.Start; i < group.End; i++)
                {
                    var segment = _segments[i];
                    var isLastSegment = i == group.End - 1;
                    using var scanner = new SegmentScanner(segment.Segment.Handle, 0, segment.Size);
                    while (scanner.MoveNext())
                    {
                        var header = scanner.Current;
                        // The group's last batch stays, even emptied, so the output ends where the
                        // replaced segments did (the range a crash-time swap completion relies on).
                        var keepIfEmpty = (isLastSegment && scanner.NextPosition == segment.Size)
                            || (header.ProducerId >= 0 && _lastBatchOfProducer.TryGetValue(header.ProducerId, out var lastBase) && lastBase == header.BaseOffset);
                        compactor.Compact(scanner.CurrentBytes, header, keepIfEmpty, pending);
                        if (pending.WrittenCount >= cleaner.Options.WriteBufferBytes)
                        {
                            replacement.Append(pending.WrittenSpan);
                            pending.ResetWrittenCount();
                        }
                    }
                    ThrowIfIncomplete(scanner, segment);
                    _bytesRead += segment.Size;
                }
                if (pending.WrittenCount > 0)
                {
                    replacement.Append(pending.WrittenSpan);
                }
                replacement.OnRolled();
                replacement.FlushAll();
                _bytesWritten += replacement.Size;
                return replacement;
            }
            catch
            {
                replacement.Delete();
                throw;
            }
        }

        private static void ThrowIfIncomplete(SegmentScanner scanner, SegmentSnapshot segment)
        {
            if (scanner.End != ScanEnd.EndOfFile)
            {
                throw new CorruptRecordException(
                    $"{segment.Segment.LogPath} holds an invalid batch at position {scanner.NextPosition}; it cannot be compacted");
            }
        }

        private CleanerResult Result(bool aborted, long cleanedUpTo, CompactionCounters counters) =>
            new(new Offset(section.FirstDirtyOffset), new Offset(cleanedUpTo), _segmentsBefore, _segmentsAfter,
                _bytesRead, _bytesWritten, counters.RecordsRead, counters.RecordsRemoved, counters.TombstonesRemoved, aborted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleaned {Directory}: {Before} segments into {After}, {BytesRead} bytes into {BytesWritten}, {Removed} records removed; clean up to offset {CleanedUpTo}")]
    private static partial void LogCleaned(ILogger logger, string directory, int before, int after, long bytesRead, long bytesWritten, long removed, long cleanedUpTo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Swapped {Count} segments of {Directory} covering offsets [{From}, {To}) for one cleaned segment of {Bytes} bytes")]
    private static partial void LogGroupSwapped(ILogger logger, string directory, int count, long from, long to, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleaning of {Directory} aborted at the segment based at {BaseOffset}: the log changed meanwhile")]
    private static partial void LogAborted(ILogger logger, string directory, long baseOffset);
}
