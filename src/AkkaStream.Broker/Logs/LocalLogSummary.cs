using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Logs;

/// <summary>One log this broker holds (as leader or follower): its size on disk and its offsets, as the log itself has them.</summary>
public sealed record LocalLogSummary(TopicPartition Partition, long SizeInBytes, long LogStartOffset, long LogEndOffset, int SegmentCount);
