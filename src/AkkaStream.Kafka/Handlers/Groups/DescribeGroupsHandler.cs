using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// DescribeGroups (15), v0-v5: one <see cref="DescribeGroupRequest"/> per group id, all at once,
/// answered in the order asked (the coordinator describes a group that does not exist as Kafka does
/// up to v5: state Dead, no members, no error); each member with the client id and host it joined
/// from. With no authorizer every group operation is allowed, so a
/// request for the authorized operations (v3+) gets READ, DELETE and DESCRIBE. Stateless, so thread-safe.
/// </summary>
public sealed class DescribeGroupsHandler : IKafkaApiHandler
{
    /// <summary>Kafka's AclOperation codes as bits: READ (3), DELETE (6), DESCRIBE (8), the operations a group has.</summary>
    private const int GroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

    public ApiKey Key => ApiKey.DescribeGroups;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var described = await context.AskEachGroupAsync<DescribeGroupResponse>(request.Body.Get<object?[]>("Groups"),
            id => new DescribeGroupRequest(id), cancellation).ConfigureAwait(false);
        var operations = request.Body.Get<bool>("IncludeAuthorizedOperations") ? GroupOperations : int.MinValue;

        var groupSchema = request.Api.Response.ElementOf("Groups");
        var memberSchema = groupSchema.ElementOf("Members");
        return request.Api.Response.NewDefault().With("Groups", described.Select(group => (object?)groupSchema.NewDefault()
            .With("ErrorCode", (short)group.Error)
            .With("GroupId", group.GroupId)
            .With("GroupState", group.State)
            .With("ProtocolType", group.ProtocolType)
            .With("ProtocolData", group.ProtocolName)
            .With("Members", group.Members.Select(m => (object?)memberSchema.NewDefault()
                .With("MemberId", m.MemberId)
                .With("GroupInstanceId", m.GroupInstanceId)
                .With("ClientId", m.ClientId)
                .With("ClientHost", m.ClientHost)
                .With("MemberMetadata", m.Metadata)
                .With("MemberAssignment", m.Assignment)).ToArray())
            .With("AuthorizedOperations", operations)).ToArray());
    }
}
