using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// ListGroups (16), v0-v4, from <see cref="ListGroupsRequest"/>, which any broker answers for the
/// whole cluster. v4 filters by group state (case-insensitively, as Kafka parses states; an empty
/// filter keeps all) and reports each group's state. Stateless, so thread-safe.
/// </summary>
public sealed class ListGroupsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.ListGroups;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var states = request.Body.Get<object?[]>("StatesFilter").Select(s => (string?)s ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var listed = await context.AskGroupAsync<ListGroupsResponse>(ListGroupsRequest.Instance, cancellation).ConfigureAwait(false);
        var groupSchema = request.Api.Response.ElementOf("Groups");
        return request.Api.Response.NewDefault()
            .With("ErrorCode", (short)listed.Error)
            .With("Groups", listed.Groups.Where(g => states.Count == 0 || states.Contains(g.State)).Select(g => (object?)groupSchema.NewDefault()
                .With("GroupId", g.GroupId)
                .With("ProtocolType", g.ProtocolType)
                .With("GroupState", g.State)).ToArray());
    }
}
