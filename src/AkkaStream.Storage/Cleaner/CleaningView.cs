using AkkaStream.Storage.Segments;

namespace AkkaStream.Storage.Cleaner;

/// <summary>
/// One inactive segment as the log's lock saw it. Inactive segments are immutable until they are
/// deleted or truncated (both under the lock), so these values, and the segment's file, can be used
/// outside the lock; the swap checks that the segment is still in place before relying on them.
/// </summary>
/// <param name="LargestTimestamp">The newest record time; the file's modification time when batches carry none.</param>
/// <param name="FirstTimestamp">The first batch's timestamp, or <paramref name="LargestTimestamp"/> when it has none.</param>
internal readonly record struct SegmentSnapshot(
    LogSegment Segment,
    long BaseOffset,
    long NextOffset,
    long Size,
    long LargestTimestamp,
    long FirstTimestamp);

/// <summary>
/// What the cleaner needs of a log, taken in one go under the log's lock: every segment in order
/// (the last one active), the inactive ones described, and the log's bounds, settings and clock.
/// Immutable.
/// </summary>
internal sealed record CleaningView(
    string Directory,
    LogConfig Config,
    IReadOnlyList<LogSegment> Segments,
    IReadOnlyList<SegmentSnapshot> Inactive,
    long LogStartOffset,
    long LogEndOffset,
    long NowMs,
    long Truncations);
