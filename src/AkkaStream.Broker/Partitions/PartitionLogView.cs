using AkkaStream.Broker.Logs;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Records.Encoding;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// Reads for consumers through a lease: never past the high watermark. A view over the
/// owner's lease; used only on the owning entity's thread.
/// </summary>
internal readonly struct PartitionLogView(LogLease lease)
{
    /// <summary>How many bytes a fetch would return now (a read).</summary>
    /// <exception cref="AkkaStreamException"><c>OffsetOutOfRange</c> outside [log start, log end].</exception>
    private int Available(FetchRequest request)
    {
        using var result = Read(request);
        return result.Length;
    }

    /// <summary>
    /// Whether a parked fetch can be answered now: it has its min bytes, or it is out of range
    /// (answered at once, with the error). A fetch that wants any data at all needs no read: the
    /// high watermark, the least log end of the in-sync replicas, is a batch boundary, so the batch
    /// holding any offset below it is whole and readable. That is the common case, and every
    /// append and high-watermark move checks every parked fetch.
    /// </summary>
    public bool Satisfies(FetchRequest request)
    {
        var log = lease.Log;
        if (request.Offset < log.LogStartOffset.Value || request.Offset > log.LogEndOffset.Value) return true;
        return request.MinBytes <= 1 ? request.Offset < lease.HighWatermark.Value : Available(request) >= request.MinBytes;
    }

    public FetchResponse Fetch(FetchRequest request)
    {
        if (request.MaxBytes == 0)
        {
            return new FetchResponse(request.Topic, request.Partition, ErrorCode.None, null,
                lease.HighWatermark.Value, lease.Log.LogStartOffset.Value, []);
        }
        using var result = Read(request);
        return new FetchResponse(request.Topic, request.Partition, ErrorCode.None, null,
            lease.HighWatermark.Value, result.LogStartOffset.Value, ByteCopies.ToArray(result.Records.Span));
    }

    /// <remarks>
    /// Out of range means outside the log, as in Kafka, not above the high watermark: a new leader's
    /// high watermark can start below the one its predecessor served, and a consumer that read up
    /// to the old one must get "nothing yet" (until the followers catch up), never a reset.
    /// </remarks>
    private Storage.Log.LogReadResult Read(FetchRequest request) =>
        lease.Log.Read(new Offset(request.Offset), Math.Max(1, request.MaxBytes), lease.HighWatermark);
}
