using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Asks the cluster for a producer id (Kafka's InitProducerId, for a producer without a
/// transactional id). Any broker's gateway takes it to the controller, which never hands the same
/// id out twice, not even across controller restarts.
/// </summary>
public sealed record InitProducerIdRequest : IControlMessage
{
    public static readonly InitProducerIdRequest Instance = new();
}

/// <summary>The id and epoch an idempotent producer stamps on its batches; -1 and -1 on error.</summary>
public sealed record InitProducerIdResponse(ErrorCode Error, string? ErrorMessage, long ProducerId, short ProducerEpoch) : IControlMessage, IErrorReply;
