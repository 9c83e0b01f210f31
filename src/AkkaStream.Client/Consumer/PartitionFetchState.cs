using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Consumer;

/// <summary>
/// One assigned partition's side of the consumer: the position the application has reached, the
/// offset the next fetch asks for (ahead of the position while records are buffered), the buffered
/// records, and what is in flight. <see cref="Generation"/> changes on every seek and reset, so
/// that answers to requests sent before it are recognised and dropped. Owned by the consumer actor.
/// </summary>
internal sealed class PartitionFetchState(TopicPartition partition)
{
    public TopicPartition Partition { get; } = partition;

    /// <summary>The next offset returned to the application; null until known.</summary>
    public long? Position { get; set; }

    /// <summary>The offset the next fetch asks for.</summary>
    public long FetchOffset { get; set; }

    /// <summary>Where to look the position up (ListOffsets timestamp: earliest, latest), or null when it is known.</summary>
    public long? ResetTo { get; set; }

    public Queue<ConsumeRecord> Buffer { get; } = new();

    /// <summary>How many records the last fetch brought: the next fetch leaves once fewer are buffered.</summary>
    public int LastFetchRecords { get; set; }

    public bool InFlight { get; set; }

    public int Generation { get; set; }

    public DateTime RetryNotBefore { get; set; }

    /// <summary>No request is sent until metadata of at least this generation has arrived.</summary>
    public long AwaitMetadata { get; set; }

    public int Failures { get; set; }

    /// <summary>Moves to <paramref name="offset"/>: drops what was buffered and ignores answers already on their way.</summary>
    public void MoveTo(long offset)
    {
        Position = offset;
        FetchOffset = offset;
        ResetTo = null;
        Buffer.Clear();
        Generation++;
    }

    public void ResetBy(long listOffsetsTimestamp)
    {
        Position = null;
        ResetTo = listOffsetsTimestamp;
        Buffer.Clear();
        Generation++;
    }
}
