using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Cleaner;
using AkkaStream.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Log;

// Compaction support: what the log cleaner (Cleaner/LogCleaner) needs from the log. The cleaner
// takes a view of the segments under the lock, reads and rewrites inactive segments without it
// (appends go on meanwhile), and comes back under the lock only to swap its output in.
public sealed partial class PartitionLog
{
    private int _cleaning;

    // Counts truncations from the end. The cleaner's key map describes the log as it was; a
    // truncation can remove the record that made an older one obsolete, in a segment the swap does
    // not look at, so any truncation since the cleaner's view refuses its swap.
    private long _truncations;

    internal TimeProvider Time => _time;

    internal ILogger Logger => _logger;

    /// <summary>Claims the log for one cleaning run; false when another run holds it.</summary>
    internal bool TryBeginCleaning() => Interlocked.CompareExchange(ref _cleaning, 1, 0) == 0;

    internal void EndCleaning() => Volatile.Write(ref _cleaning, 0);

    /// <summary>True when the log was truncated or closed since <paramref name="view"/> was taken.</summary>
    internal bool ChangedSince(CleaningView view)
    {
        lock (_lock)
        {
            return _closed || _truncations != view.Truncations;
        }
    }

    /// <summary>The segments, bounds, settings and time the cleaner plans a run with, all seen at one instant.</summary>
    internal CleaningView CaptureCleaningView()
    {
        lock (_lock)
        {
            ThrowIfClosed();
            var segments = _segments.ToArray();
            var inactive = new SegmentSnapshot[segments.Length - 1];
            for (var i = 0; i < inactive.Length; i++)
            {
                var segment = segments[i];
                var largest = LargestTimestamp(segment);
                inactive[i] = new SegmentSnapshot(segment, segment.BaseOffset, segment.NextOffset, segment.Size, largest,
                    segment.FirstBatchTimestamp >= 0 ? segment.FirstBatchTimestamp : largest);
            }
            return new CleaningView(Directory, Config, segments, inactive, _logStartOffset, Active.NextOffset, NowMs, _truncations);
        }
    }

    /// <summary>
    /// Replaces the run of segments <paramref name="replaced"/> by <paramref name="replacement"/>,
    /// whose files carry the <c>.swap</c> suffix, flushed. Refuses (false) unless the run still
    /// sits in the log exactly as the cleaner saw it, followed by <paramref name="successor"/>:
    /// retention, DeleteRecords or a full truncation removes segments, and a truncation into or
    /// below the run deletes every later segment, so a successor that is still the same object
    /// proves that none of the run's segments was shortened or became active since.
    /// </summary>
    /// <remarks>
    /// The order of the renames is what makes a crash at any point recoverable (see
    /// <see cref="LogLoader"/>): the <c>.swap</c> file exists before anything else changes, so the
    /// next open completes the swap; the replaced segments are renamed <c>.deleted</c> and that is
    /// made durable before the replacement takes their names, so the directory never holds the
    /// replacement under its final name beside a replaced segment it overlaps.
    /// </remarks>
    internal bool TryReplaceSegments(
        CleaningView view, IReadOnlyList<LogSegment> replaced, LogSegment successor, LogSegment replacement, Action<CleanerStep>? onStep)
    {
        lock (_lock)
        {
            if (_closed || _truncations != view.Truncations)
            {
                return false;
            }
            var first = _segments.IndexOf(replaced[0]);
            if (first < 0 || first + replaced.Count >= _segments.Count || !ReferenceEquals(_segments[first + replaced.Count], successor))
            {
                return false;
            }
            for (var i = 1; i < replaced.Count; i++)
            {
                if (!ReferenceEquals(_segments[first + i], replaced[i]))
                {
                    return false;
                }
            }

            foreach (var segment in replaced)
            {
                segment.ChangeFileSuffixes("", SegmentFileNames.DeletedSuffix);
                onStep?.Invoke(CleanerStep.OldSegmentRenamed);
            }
            DirectorySync.Flush(Directory);
            replacement.ChangeFileSuffixes(SegmentFileNames.SwapSuffix, "");
            onStep?.Invoke(CleanerStep.ReplacementRenamed);
            DirectorySync.Flush(Directory);

            _segments.RemoveRange(first, replaced.Count);
            _segments.Insert(first, replacement);
            foreach (var segment in replaced)
            {
                segment.Delete();
            }
            return true;
        }
    }
}
