using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>JoinGroup (11), v0-6: the top-level error.</summary>
public sealed class JoinGroupHandler() : CoordinatorNotAvailableHandler(JoinGroupApi.Declaration)
{
    protected override void Answer(MessageStruct request, short version, MessageStruct response) => response["ErrorCode"] = Error;
}
