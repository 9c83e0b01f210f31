using AkkaStream.Broker.Logs;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// Reads for consumers through a lease: never past the high watermark. A view over the
/// owner's lease; used only on the owning entity's thread.
/// </summary>
internal readonly struct PartitionLogView(LogLease lease)
{
    /// <summary>How many bytes a fetch would return now.</summary>
    /// <exception cref="AkkaStreamException"><c>OffsetOutOfRange</c> outside [log start, high watermark].</exception>
    public int Available(FetchRequest request)
    {
        using var result = Read(request);
        return result.Length;
    }

    public FetchResponse Fetch(FetchRequest request)
    {
        using var result = Read(request);
        return new FetchResponse(request.Topic, request.Partition, ErrorCode.None, null,
            lease.HighWatermark.Value, result.LogStartOffset.Value, result.Records.ToArray());
    }

    private Storage.Log.LogReadResult Read(FetchRequest request)
    {
        var highWatermark = lease.HighWatermark;
        if (request.Offset > highWatermark.Value)
        {
            throw new AkkaStreamException(ErrorCode.OffsetOutOfRange,
                $"offset {request.Offset} is past the high watermark {highWatermark} of {lease.Partition}");
        }
        return lease.Log.Read(new Offset(request.Offset), Math.Max(1, request.MaxBytes), highWatermark);
    }
}
