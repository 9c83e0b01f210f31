using AkkaStream.Records.Batches;

namespace AkkaStream.Storage;

/// <summary>
/// The settings of one partition's log. Topic-level settings keep Kafka's names (in each comment),
/// because Kafka clients send them by those names. Immutable; defaults are Kafka's.
/// </summary>
public sealed record LogConfig
{
    public static readonly LogConfig Default = new();

    /// <summary><c>segment.bytes</c>: the active segment rolls before it would pass this size.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary><c>segment.ms</c>: the active segment rolls once its first batch is this old.</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>segment.index.bytes</c>: the most an offset or time index may hold; a full index rolls the segment.</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>index.interval.bytes</c>: how many bytes of batches lie between two index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>flush.messages</c>: records appended between two flushes to disk (fsync).</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary><c>flush.ms</c>: the longest time appended data may stay unflushed.</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary><c>retention.ms</c>: segments whose newest record is older are deleted; -1 keeps them forever.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>retention.bytes</c>: the oldest segments are deleted while the log is larger; -1 for no limit.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary><c>cleanup.policy</c>.</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary><c>delete.retention.ms</c>: how long a tombstone survives compaction.</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary><c>min.cleanable.dirty.ratio</c>: the share of uncompacted bytes that starts a compaction.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary><c>min.compaction.lag.ms</c>: records younger than this are never compacted.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary><c>max.compaction.lag.ms</c>: records older than this are compacted whatever the dirty ratio.</summary>
    public long MaxCompactionLagMs { get; init; } = long.MaxValue;

    /// <summary><c>max.message.bytes</c>: the largest batch the log accepts.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024 + 12;

    /// <summary><c>message.timestamp.type</c>: keep the producer's timestamps, or stamp the broker's time on append.</summary>
    public TimestampType MessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary>
    /// Broker setting <c>log.flush.offset.checkpoint.interval.ms</c>: how often a flush also records
    /// the recovery point on disk. Recovery after a crash starts from the last recorded one.
    /// </summary>
    public long RecoveryPointCheckpointIntervalMs { get; init; } = 60_000;

    /// <summary>
    /// Broker setting <c>producer.id.expiration.ms</c>: a producer whose newest batch is this old is
    /// forgotten, so its next batch is accepted at any sequence (see <see cref="Producers.ProducerStateManager"/>).
    /// </summary>
    public long ProducerIdExpirationMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>Kafka's minimum for <c>segment.bytes</c> is 14 bytes; a segment must hold at least a batch header.</summary>
    internal const int MinSegmentBytes = RecordBatchLayout.HeaderSize;
}
