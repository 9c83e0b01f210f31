using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Consumer;

/// <summary>One consumed record, copied out of its batch so that it outlives the fetch buffer.</summary>
public sealed record ConsumeRecord(
    string Topic,
    int Partition,
    long Offset,
    long Timestamp,
    TimestampType TimestampType,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}

/// <summary>
/// Consumes exactly these partitions from now on (Kafka's assign); positions of partitions kept are
/// kept. A newly assigned partition starts at its entry in <paramref name="StartOffsets"/> when it has
/// one (a group consumer's committed offset), otherwise where auto.offset.reset says.
/// </summary>
public sealed record Assign(IReadOnlyList<TopicPartition> Partitions, IReadOnlyDictionary<TopicPartition, long>? StartOffsets = null);

/// <summary>The next record returned for <paramref name="Partition"/> is the one at <paramref name="Offset"/>.</summary>
public sealed record Seek(TopicPartition Partition, long Offset);

/// <summary>Moves the partitions to their log start offset.</summary>
public sealed record SeekToBeginning(IReadOnlyList<TopicPartition> Partitions);

/// <summary>Moves the partitions to their log end offset: only records produced from now on are read.</summary>
public sealed record SeekToEnd(IReadOnlyList<TopicPartition> Partitions);

/// <summary>
/// Replies with a <see cref="PollResult"/> as soon as records are buffered, or an empty one after
/// <paramref name="Timeout"/>; a <see cref="Akka.Actor.Status.Failure"/> carrying an
/// <see cref="Records.Errors.AkkaStreamException"/> when a partition cannot be read (for example
/// OffsetOutOfRange with auto.offset.reset = none).
/// </summary>
public sealed record Poll(TimeSpan Timeout, int MaxRecords = int.MaxValue);

/// <summary>
/// Answers the waiting <see cref="Poll"/> now, with nothing: how a poll is cancelled. Abandoning the
/// ask instead would lose the records the actor sends it afterwards (counted as returned, so
/// skipped by the next poll and committed by the next commit, yet never seen by the application).
/// </summary>
public sealed record CancelPoll
{
    public static readonly CancelPoll Instance = new();
}

public sealed record PollResult(IReadOnlyList<ConsumeRecord> Records)
{
    public static readonly PollResult Empty = new([]);
}

/// <summary>Replies with a <see cref="Positions"/>: the next offset to be returned for each assigned partition that has one.</summary>
public sealed record GetPositions
{
    public static readonly GetPositions Instance = new();
}

public sealed record Positions(IReadOnlyDictionary<TopicPartition, long> ByPartition);
