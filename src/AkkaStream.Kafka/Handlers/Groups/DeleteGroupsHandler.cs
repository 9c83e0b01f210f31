using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// DeleteGroups (42), v0-v2: one <see cref="DeleteGroupRequest"/> per group id, all at once, each
/// with its own error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP), in the order asked. Stateless, so thread-safe.
/// </summary>
public sealed class DeleteGroupsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.DeleteGroups;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var deleted = await context.AskEachGroupAsync<DeleteGroupResponse>(request.Body.Get<object?[]>("GroupsNames"),
            id => new DeleteGroupRequest(id), cancellation).ConfigureAwait(false);
        var resultSchema = request.Api.Response.ElementOf("Results");
        return request.Api.Response.NewDefault().With("Results", deleted.Select(d => (object?)resultSchema.NewDefault()
            .With("GroupId", d.GroupId)
            .With("ErrorCode", (short)d.Error)).ToArray());
    }
}
