using AkkaStream.Records.Ids;
using AkkaStream.Storage.Retention;
using AkkaStream.Storage.Segments;

namespace AkkaStream.Storage.Log;

// Retention: deleting whole old segments by age, size and log start offset.
public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes the oldest segments that retention no longer keeps (see <see cref="SegmentRetention"/>),
    /// never the active one and never one holding offsets at or above <paramref name="highWatermark"/>.
    /// The log start offset moves to the first remaining segment.
    /// </summary>
    /// <returns>The number of segments deleted.</returns>
    public int ApplyRetention(Offset? highWatermark = null)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            var view = new RetainedSegment[_segments.Count];
            for (var i = 0; i < view.Length; i++)
            {
                view[i] = new RetainedSegment(_segments[i].Size, _segments[i].NextOffset, LargestTimestamp(_segments[i]));
            }
            var upper = highWatermark?.Value ?? Active.NextOffset;
            var count = SegmentRetention.CountDeletable(view, Config, NowMs, _logStartOffset, upper);
            DeleteOldestSegments(count);
            // Producer state outlives the segments its batches were in (a retry is still recognised);
            // only producer.id.expiration.ms ends it. Retention runs on a schedule, so it is checked here.
            Producers.RemoveExpired(NowMs, Config.ProducerIdExpirationMs);
            return count;
        }
    }

    /// <summary>The newest record time of a segment; the file's modification time when its batches carry none.</summary>
    private static long LargestTimestamp(LogSegment segment) =>
        segment.MaxTimestamp >= 0
            ? segment.MaxTimestamp
            : new DateTimeOffset(File.GetLastWriteTimeUtc(segment.LogPath)).ToUnixTimeMilliseconds();
}
