using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// A message between brokers that carries record batches for replication; serialized by
/// <see cref="ReplicationSerializer"/>, which writes the batch bytes as they are.
/// </summary>
public interface IReplicationMessage;

/// <summary>
/// One round trip of a fetch session: a follower broker asks one leader broker's
/// <c>/user/replica-fetch</c> for every partition it follows there (Kafka's replica fetcher). The
/// leader answers when <paramref name="MinBytes"/> are there, or after <paramref name="MaxWaitMs"/>.
/// </summary>
/// <param name="Round">Echoed in the response, so that the follower can ignore a late answer to an earlier round.</param>
/// <param name="MaxBytes">Bounds the whole response, which must stay under Akka.Remote's frame.</param>
public sealed record ReplicaFetchRequest(
    int FollowerBroker,
    long Round,
    int MaxWaitMs,
    int MinBytes,
    int MaxBytes,
    IReadOnlyList<ReplicaFetchPartition> Partitions) : IReplicationMessage;

/// <summary>One partition of a <see cref="ReplicaFetchRequest"/>.</summary>
/// <param name="LeaderEpoch">The leader epoch the follower's metadata names.</param>
/// <param name="FetchOffset">The follower's log end offset: where it continues, and what the leader counts as its position.</param>
/// <param name="LastFetchedEpoch">
/// The epoch of the follower's last record (-1 for an empty log). The leader checks that its own
/// history of that epoch ends at or after <paramref name="FetchOffset"/>; if not, it answers with
/// where the epoch ends instead of records, and the follower truncates there (Kafka's
/// OffsetsForLeaderEpoch, carried inside the fetch as Fetch v12 does).
/// </param>
public sealed record ReplicaFetchPartition(
    TopicPartition Partition,
    int LeaderEpoch,
    long FetchOffset,
    int LastFetchedEpoch,
    int MaxBytes);

/// <summary>The leader broker's answer to a <see cref="ReplicaFetchRequest"/>: one entry per partition asked for.</summary>
public sealed record ReplicaFetchResponse(long Round, IReadOnlyList<ReplicaPartitionData> Partitions) : IReplicationMessage;

/// <summary>
/// One partition of a <see cref="ReplicaFetchResponse"/>, and an entity's answer to its round. A
/// round that ran out of time is gone when a slow (starting) entity answers: no dead-letter line.
/// </summary>
/// <param name="HighWatermark">The leader's high watermark after it counted this fetch.</param>
/// <param name="DivergingEpoch">With <paramref name="DivergingEndOffset"/> ≥ 0: the largest epoch of the leader ≤ the
/// follower's last fetched epoch, and where it ends; the follower truncates before it fetches again.</param>
/// <param name="Records">Whole batches from the fetch offset up to the leader's log end (not its high watermark).</param>
public sealed record ReplicaPartitionData(
    TopicPartition Partition,
    ErrorCode Error,
    string? ErrorMessage,
    long HighWatermark,
    long LogStartOffset,
    long LogEndOffset,
    int DivergingEpoch,
    long DivergingEndOffset,
    byte[] Records) : Akka.Event.IDeadLetterSuppression
{
    public bool IsDiverging => DivergingEndOffset >= 0;

    public static ReplicaPartitionData Failed(TopicPartition partition, ErrorCode error, string message, long logStartOffset = -1, long logEndOffset = -1) =>
        new(partition, error, message, -1, logStartOffset, logEndOffset, -1, -1, []);

    public static ReplicaPartitionData Diverging(TopicPartition partition, long highWatermark, int epoch, long endOffset) =>
        new(partition, ErrorCode.None, null, highWatermark, -1, -1, epoch, endOffset, []);
}
