using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>Raises a partition's log start offset to <paramref name="Offset"/> (Kafka's DeleteRecords).</summary>
public sealed record DeleteRecordsRequest(string Topic, int Partition, long Offset) : IControlMessage;

/// <summary>The answer to a <see cref="DeleteRecordsRequest"/>: the new log start offset ("low watermark").</summary>
public sealed record DeleteRecordsResponse(
    string Topic,
    int Partition,
    ErrorCode Error,
    string? ErrorMessage,
    long LowWatermark) : IControlMessage, IErrorReply;
