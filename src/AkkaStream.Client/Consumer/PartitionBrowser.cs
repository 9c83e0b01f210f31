using AkkaStream.Client.Internal;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Consumer;

/// <summary>
/// One page of a partition read by a <see cref="PartitionBrowser"/>: its records, the offset the
/// next page starts from, and the partition's log start offset and high watermark at the read.
/// </summary>
public sealed record BrowsedPage(IReadOnlyList<ConsumeRecord> Records, long NextOffset, long LogStartOffset, long HighWatermark);

/// <summary>
/// Reads pages of one partition from its leader, through the same fetch and ListOffsets requests a
/// consumer sends, but without a consumer actor, positions or prefetching: for tools that look at a
/// partition now and then (the web console's message browser). A fetch never waits for records, and
/// sees only what is committed (up to the high watermark), as a consumer does. Thread-safe.
/// </summary>
public sealed class PartitionBrowser
{
    private readonly GatewayRequests _requests;

    internal PartitionBrowser(GatewayRequests requests) => _requests = requests;

    /// <summary>
    /// The records of <paramref name="partition"/> from <paramref name="offset"/> on, at most
    /// <paramref name="maxBytes"/> of batches (the first batch whole even when larger).
    /// </summary>
    /// <exception cref="Records.Errors.AkkaStreamException">The leader refused, e.g. <c>OffsetOutOfRange</c>.</exception>
    public async Task<BrowsedPage> ReadAsync(TopicPartition partition, long offset, int maxBytes, CancellationToken cancellationToken = default)
    {
        var reply = await _requests.AskLeaderAsync<FetchResponse>(partition,
            epoch => new FetchRequest(partition.Topic, partition.Partition, offset, Math.Max(1, maxBytes), MaxWaitMs: 0, MinBytes: 0, epoch),
            cancellationToken).ConfigureAwait(false);
        var records = new List<ConsumeRecord>();
        var next = FetchDecoder.Decode(partition.Topic, partition.Partition, reply.Records, offset, checkCrcs: true, records);
        return new BrowsedPage(records, next, reply.LogStartOffset, reply.HighWatermark);
    }

    /// <summary>
    /// The partition's offset for <paramref name="timestamp"/>: the first offset whose record is at
    /// or after that time (-1 when none is that recent), or <see cref="ListOffsetsRequest.Earliest"/> /
    /// <see cref="ListOffsetsRequest.Latest"/> for the log start and the high watermark.
    /// </summary>
    public async Task<long> OffsetForAsync(TopicPartition partition, long timestamp, CancellationToken cancellationToken = default) =>
        (await _requests.OffsetsForAsync([partition], timestamp, cancellationToken).ConfigureAwait(false))[partition];
}
