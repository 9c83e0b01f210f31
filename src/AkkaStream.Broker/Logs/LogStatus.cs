using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Logs;

/// <summary>One local log as the metrics see it: bytes on disk, its offsets, and the high watermark (-1 when unknown).</summary>
/// <param name="Owned">Whether a leader or follower holds the log now (its high watermark is then current).</param>
public sealed record LogStatus(TopicPartition Partition, long SizeBytes, long LogStartOffset, long LogEndOffset, long HighWatermark, bool Owned);
