using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>DescribeGroups (15), v0-v5: the error on every group the request names.</summary>
public sealed class DescribeGroupsHandler() : CoordinatorNotAvailableHandler(DescribeGroupsApi.Declaration)
{
    private static readonly StructSchema GroupSchema = DescribeGroupsApi.Declaration.Response.ElementOf("Groups");

    protected override void Answer(MessageStruct request, short version, MessageStruct response) =>
        response["Groups"] = request.Get<object?[]>("Groups")
            .Select(g => (object?)GroupSchema.NewDefault().With("ErrorCode", Error).With("GroupId", (string)g!))
            .ToArray();
}
