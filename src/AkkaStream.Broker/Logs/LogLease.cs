using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Broker.Logs;

/// <summary>
/// One owner's right to a log, granted by the <see cref="LogManager"/>. The owner checks
/// <see cref="IsRevoked"/> before each use: a lease is revoked when a newer leader epoch on this
/// node takes the log, or when the topic is deleted. Thread-safe.
/// </summary>
public sealed class LogLease
{
    private volatile bool _revoked;
    private long _highWatermark;

    internal LogLease(TopicPartition partition, Guid topicId, int epoch, PartitionLog log)
    {
        Partition = partition;
        TopicId = topicId;
        Epoch = epoch;
        Log = log;
    }

    public TopicPartition Partition { get; }

    public Guid TopicId { get; }

    /// <summary>The leader epoch of the owner.</summary>
    public int Epoch { get; }

    public PartitionLog Log { get; }

    public bool IsRevoked => _revoked;

    /// <summary>Published by the owner so that retention never deletes what consumers may still need.</summary>
    public Offset HighWatermark
    {
        get => new(Interlocked.Read(ref _highWatermark));
        set => Interlocked.Exchange(ref _highWatermark, value.Value);
    }

    internal void Revoke() => _revoked = true;
}
