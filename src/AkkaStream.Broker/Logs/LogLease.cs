using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Broker.Logs;

/// <summary>
/// One owner's right to a log, granted by the <see cref="LogManager"/>: the leader entity of an
/// epoch, or this broker's follower of that epoch. The owner checks <see cref="IsRevoked"/> before
/// each use: a lease is revoked when a newer leader epoch on this node takes the log (a leader
/// demoted to follower, a follower promoted to leader), or when the topic is deleted. Thread-safe.
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

    /// <summary>
    /// Taken around every write that must not happen after revocation (an append as leader, a
    /// follower's append or truncation), and by the revocation itself: once a newer owner holds
    /// the log, no write of the old owner can slip in between its check and its write.
    /// </summary>
    public object WriteLock { get; } = new();

    /// <summary>
    /// The high watermark as the owner knows it: what consumers may read, what retention must keep,
    /// what the log manager checkpoints. Starts from the partition's checkpoint.
    /// </summary>
    public Offset HighWatermark
    {
        get => new(Interlocked.Read(ref _highWatermark));
        set => Interlocked.Exchange(ref _highWatermark, value.Value);
    }

    internal void Revoke()
    {
        lock (WriteLock)
        {
            _revoked = true;
        }
    }
}
