using AkkaStream.Storage.Segments;

namespace AkkaStream.Storage.Producers;

/// <summary>
/// Rebuilds a partition's producer state from its newest usable snapshot and the batch headers
/// written after it (headers only: the producer fields are in the 61-byte header, so no record
/// is decoded and no CRC computed). Used at open and after a truncation. Thread-safe (stateless);
/// the caller holds the log's lock.
/// </summary>
internal static class ProducerStateReplay
{
    public static void Rebuild(ProducerStateManager producers, IReadOnlyList<LogSegment> segments, long logEnd, long nowMs, long expirationMs)
    {
        var from = producers.LoadLatestSnapshot(logEnd);
        foreach (var segment in segments)
        {
            if (segment.NextOffset <= from)
            {
                continue;
            }
            segment.VisitBatchHeaders(header =>
            {
                if (header.BaseOffset >= from) producers.ApplyWritten(header);
            });
        }
        producers.RemoveExpired(nowMs, expirationMs);
    }
}
