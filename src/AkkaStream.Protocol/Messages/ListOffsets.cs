using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Asks a partition's leader for an offset: the earliest (<see cref="Earliest"/>), the latest
/// (<see cref="Latest"/>), or the first whose record timestamp is at or after a time.
/// </summary>
public sealed record ListOffsetsRequest(string Topic, int Partition, long Timestamp, int LeaderEpoch) : IControlMessage
{
    /// <summary>Kafka's timestamp value for "the log start offset".</summary>
    public const long Earliest = -2;

    /// <summary>Kafka's timestamp value for "the log end offset".</summary>
    public const long Latest = -1;
}

/// <summary>The answer to a <see cref="ListOffsetsRequest"/>; Offset is -1 when no record is that recent.</summary>
public sealed record ListOffsetsResponse(
    string Topic,
    int Partition,
    ErrorCode Error,
    string? ErrorMessage,
    long Offset,
    int LeaderEpoch) : IControlMessage, IErrorReply;
