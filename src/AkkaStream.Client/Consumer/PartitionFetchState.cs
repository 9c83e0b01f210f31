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
    // One sequence for every state: a partition given up and assigned again gets a new state, and
    // an answer to the old state's request, still on its way, must not match the new one's
    // generation (it would put records from the old position ahead of the new one: a gap).
    private static int s_lastGeneration;

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

    /// <summary>The generation the request in flight was sent in; null when none is. Only its answer ends it.</summary>
    public int? InFlightGeneration { get; set; }

    public bool InFlight => InFlightGeneration is not null;

    public int Generation { get; private set; } = NextGeneration();

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
        Generation = NextGeneration();
    }

    public void ResetBy(long listOffsetsTimestamp)
    {
        Position = null;
        ResetTo = listOffsetsTimestamp;
        Buffer.Clear();
        Generation = NextGeneration();
    }

    private static int NextGeneration() => Interlocked.Increment(ref s_lastGeneration);
}
