using AkkaStream.Broker.Logs;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// This broker's replica of one partition while another broker leads it in
/// <see cref="LeaderEpoch"/>: the log (through a lease), what to fetch next, and how to apply
/// the leader's answer — append the batches as they are, truncate where the histories diverge,
/// start over at the leader's log start, or back off. Not thread-safe; owned by one
/// <see cref="ReplicaFetcher"/>.
/// </summary>
public sealed class FollowerPartition
{
    /// <summary>What applying a leader's answer did.</summary>
    public enum Outcome
    {
        Appended,
        Nothing,
        Truncated,
        /// <summary>Refused or failed: wait <see cref="Configuration.ReplicationSettings.FetchBackoff"/> before the next fetch.</summary>
        BackOff,
        /// <summary>The lease was revoked (this broker leads now, or the topic is gone): stop following.</summary>
        Revoked,
    }

    public FollowerPartition(LogLease lease, int leaderEpoch)
    {
        Lease = lease;
        LeaderEpoch = leaderEpoch;
        // An epoch entry at the log end has no record: it is left from this broker's own leadership
        // of an epoch in which it wrote nothing. Dropped, so that the last fetched epoch is the
        // epoch of the last record, and a later record of an older epoch is not mislabelled.
        lease.Log.Epochs.TruncateFromEnd(lease.Log.LogEndOffset);
    }

    public LogLease Lease { get; }

    public TopicPartition Partition => Lease.Partition;

    public int LeaderEpoch { get; }

    /// <summary>Environment.TickCount64 before which this partition is not fetched.</summary>
    public long BackoffUntilMs { get; set; }

    public ReplicaFetchPartition NextFetch(int maxBytes)
    {
        var log = Lease.Log;
        var end = log.LogEndOffset;
        var lastEpoch = end.Value > 0 ? log.Epochs.EpochFor(end - 1)?.Value ?? -1 : -1;
        return new ReplicaFetchPartition(Partition, LeaderEpoch, end.Value, lastEpoch, maxBytes);
    }

    /// <exception cref="AkkaStreamException">The leader's batches do not continue this log (the fetcher backs off and asks again).</exception>
    public Outcome Apply(ReplicaPartitionData data)
    {
        lock (Lease.WriteLock)
        {
            // Under the lease's lock: a newer owner of this log never sees a follower write after it took over.
            if (Lease.IsRevoked) return Outcome.Revoked;
            var outcome = ApplyLocked(data);
            // The leader's high watermark, and never above what this replica holds (also after a truncation).
            var end = Lease.Log.LogEndOffset.Value;
            var highWatermark = data.HighWatermark >= 0 ? data.HighWatermark : Lease.HighWatermark.Value;
            Lease.HighWatermark = new Offset(Math.Min(highWatermark, end));
            return outcome;
        }
    }

    private Outcome ApplyLocked(ReplicaPartitionData data)
    {
        var log = Lease.Log;
        var end = log.LogEndOffset.Value;
        if (data.Error == ErrorCode.OffsetOutOfRange)
        {
            if (data.LogStartOffset >= 0 && end < data.LogStartOffset)
            {
                // Too far behind: what it lacks is gone from the leader. Start over at its log start.
                log.TruncateFullyAndStartAt(new Offset(data.LogStartOffset));
                return Outcome.Truncated;
            }
            if (data.LogEndOffset >= 0 && end > data.LogEndOffset)
            {
                log.TruncateTo(new Offset(data.LogEndOffset));
                return Outcome.Truncated;
            }
            return Outcome.BackOff;
        }
        if (data.Error != ErrorCode.None)
        {
            return Outcome.BackOff;
        }
        if (data.IsDiverging)
        {
            var target = TruncationOffset(log, data.DivergingEpoch, data.DivergingEndOffset);
            log.TruncateTo(new Offset(target));
            return Outcome.Truncated;
        }
        if (data.Records.Length == 0)
        {
            return Outcome.Nothing;
        }
        log.AppendAsFollower(data.Records);
        return Outcome.Appended;
    }

    /// <summary>
    /// Where to cut when the leader says its history of the follower's last epoch ends at
    /// <paramref name="leaderEndOffset"/> under <paramref name="leaderEpoch"/> (the largest epoch it has
    /// at or below the one asked about): at the lower of that end and this log's own end of the
    /// same epoch (Kafka's KIP-101/KIP-279 rule). When this log has no entry of that epoch its own
    /// end is that of the largest epoch below it; the next fetch then asks about that epoch, so
    /// the cut converges on the last offset both histories share.
    /// </summary>
    internal static long TruncationOffset(PartitionLog log, int leaderEpoch, long leaderEndOffset)
    {
        var end = log.LogEndOffset;
        if (leaderEpoch < 0)
        {
            return Math.Min(leaderEndOffset, end.Value);
        }
        var own = log.Epochs.EndOffsetFor(new LeaderEpoch(leaderEpoch), end);
        return own.IsUndefined ? Math.Min(leaderEndOffset, end.Value) : Math.Min(leaderEndOffset, own.EndOffset.Value);
    }
}
