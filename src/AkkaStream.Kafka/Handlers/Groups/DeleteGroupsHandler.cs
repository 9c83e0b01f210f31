using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>DeleteGroups (42), v0-v2: the error on every group the request names.</summary>
public sealed class DeleteGroupsHandler() : CoordinatorNotAvailableHandler(DeleteGroupsApi.Declaration)
{
    private static readonly StructSchema ResultSchema = DeleteGroupsApi.Declaration.Response.ElementOf("Results");

    protected override void Answer(MessageStruct request, short version, MessageStruct response) =>
        response["Results"] = request.Get<object?[]>("GroupsNames")
            .Select(g => (object?)ResultSchema.NewDefault().With("GroupId", (string)g!).With("ErrorCode", Error))
            .ToArray();
}
