namespace AkkaStream.Storage.Retention;

/// <summary>What retention needs to know of a segment.</summary>
internal readonly record struct RetainedSegment(long Size, long NextOffset, long LargestTimestamp);

/// <summary>
/// Decides how many of a log's oldest segments retention deletes: those wholly below the log start,
/// those whose newest record is older than <c>retention.ms</c>, and the oldest ones while the log
/// is larger than <c>retention.bytes</c>. Deletion takes whole segments from the oldest, stops at the
/// first one that must stay, never takes the active (last) segment and never a segment that holds
/// offsets at or above the given upper bound (the high watermark). Thread-safe (stateless).
/// </summary>
internal static class SegmentRetention
{
    public static int CountDeletable(IReadOnlyList<RetainedSegment> segments, LogConfig config, long nowMs, long logStartOffset, long upperBound)
    {
        var deleteByAge = config.CleanupPolicy.HasFlag(CleanupPolicy.Delete) && config.RetentionMs >= 0;
        var deleteBySize = config.CleanupPolicy.HasFlag(CleanupPolicy.Delete) && config.RetentionBytes >= 0;
        long excessBytes = 0;
        if (deleteBySize)
        {
            foreach (var segment in segments) excessBytes += segment.Size;
            excessBytes -= config.RetentionBytes;
        }

        var count = 0;
        for (; count < segments.Count - 1; count++)
        {
            var segment = segments[count];
            if (segment.NextOffset > upperBound)
            {
                break;
            }
            var belowLogStart = segment.NextOffset <= logStartOffset;
            var expired = deleteByAge && nowMs - segment.LargestTimestamp > config.RetentionMs;
            var oversize = deleteBySize && excessBytes - segment.Size >= 0;
            if (!belowLogStart && !expired && !oversize)
            {
                break;
            }
            excessBytes -= segment.Size;
        }
        return count;
    }
}
