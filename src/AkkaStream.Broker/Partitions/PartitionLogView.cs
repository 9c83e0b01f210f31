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
    /// <summary>How many bytes a fetch would return now.</summary>
    /// <exception cref="AkkaStreamException"><c>OffsetOutOfRange</c> outside [log start, log end].</exception>
    public int Available(FetchRequest request)
    {
        using var result = Read(request);
        return result.Length;
    }

    public FetchResponse Fetch(FetchRequest request)
    {
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
