using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Asks a partition's leader where <paramref name="LeaderEpoch"/> ended in its log (Kafka's
/// OffsetForLeaderEpoch): the first offset after the last record of that epoch, or the log end
/// when it is the current one. A consumer uses it after a leader change to find whether its
/// position is still in the log.
/// </summary>
/// <param name="CurrentLeaderEpoch">The epoch the client's metadata names for the leader; -1 to skip the check.</param>
public sealed record OffsetForLeaderEpochRequest(string Topic, int Partition, int LeaderEpoch, int CurrentLeaderEpoch) : IControlMessage;

/// <summary>
/// The answer to an <see cref="OffsetForLeaderEpochRequest"/>: the largest epoch at or below the one
/// asked for and its end offset; -1 and -1 when the leader knows no such epoch.
/// </summary>
public sealed record OffsetForLeaderEpochResponse(
    string Topic,
    int Partition,
    ErrorCode Error,
    string? ErrorMessage,
    int LeaderEpoch,
    long EndOffset) : IControlMessage, IErrorReply;
