using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>SyncGroup (14), v0-4: the top-level error.</summary>
public sealed class SyncGroupHandler() : CoordinatorNotAvailableHandler(SyncGroupApi.Declaration)
{
    protected override void Answer(MessageStruct request, short version, MessageStruct response) => response["ErrorCode"] = Error;
}
