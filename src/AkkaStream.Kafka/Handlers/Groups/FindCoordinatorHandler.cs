using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>FindCoordinator (10), v0-v3: no broker coordinates groups yet.</summary>
public sealed class FindCoordinatorHandler() : CoordinatorNotAvailableHandler(FindCoordinatorApi.Declaration)
{
    protected override void Answer(MessageStruct request, short version, MessageStruct response) =>
        response.With("ErrorCode", Error).With("ErrorMessage", "AkkaStream has no group coordinator yet").With("NodeId", -1).With("Port", -1);
}
