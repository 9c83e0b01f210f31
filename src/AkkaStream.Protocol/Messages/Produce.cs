using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Appends record batches to one partition. Sent to the gateway of the partition leader's broker.
/// </summary>
/// <param name="Records">One or more whole record batches (magic v2), laid end to end.</param>
/// <param name="LeaderEpoch">The leader epoch the producer's metadata names; -1 to skip the check.</param>
public sealed record ProduceRequest(
    string Topic,
    int Partition,
    Acks Acks,
    int TimeoutMs,
    int LeaderEpoch,
    byte[] Records) : IDataPlaneMessage;

/// <summary>The leader's answer to a <see cref="ProduceRequest"/>.</summary>
/// <param name="BaseOffset">The offset given to the first record; -1 on error.</param>
/// <param name="LogAppendTime">The broker time stamped on the batches, or -1 when they keep CreateTime.</param>
public sealed record ProduceResponse(
    string Topic,
    int Partition,
    ErrorCode Error,
    string? ErrorMessage,
    long BaseOffset,
    long LogAppendTime,
    long LogStartOffset) : IDataPlaneMessage, IErrorReply
{
    public static ProduceResponse Failed(string topic, int partition, ErrorCode error, string message) =>
        new(topic, partition, error, message, -1, -1, -1);
}
