using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>LeaveGroup (13), v0-4: the top-level error.</summary>
public sealed class LeaveGroupHandler() : CoordinatorNotAvailableHandler(LeaveGroupApi.Declaration)
{
    protected override void Answer(MessageStruct request, short version, MessageStruct response) => response["ErrorCode"] = Error;
}
