using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Reads record batches from one partition, from <paramref name="Offset"/> on. The leader answers at
/// once when at least <paramref name="MinBytes"/> are there, otherwise when they arrive or after
/// <paramref name="MaxWaitMs"/>, whichever comes first. <paramref name="MaxBytes"/> 0 asks only
/// whether records are there: the answer carries the high watermark and no records, and costs no
/// read (a listener waiting on several partitions at once reads only the ones that woke it).
/// </summary>
/// <param name="LeaderEpoch">The leader epoch the consumer's metadata names; -1 to skip the check.</param>
public sealed record FetchRequest(
    string Topic,
    int Partition,
    long Offset,
    int MaxBytes,
    int MaxWaitMs,
    int MinBytes,
    int LeaderEpoch) : IDataPlaneMessage;

/// <summary>The leader's answer to a <see cref="FetchRequest"/>.</summary>
/// <param name="Records">Whole batches as they are on disk; the first may start below the requested offset.</param>
public sealed record FetchResponse(
    string Topic,
    int Partition,
    ErrorCode Error,
    string? ErrorMessage,
    long HighWatermark,
    long LogStartOffset,
    byte[] Records) : IDataPlaneMessage, IErrorReply
{
    public static FetchResponse Failed(string topic, int partition, ErrorCode error, string message) =>
        new(topic, partition, error, message, -1, -1, []);
}
