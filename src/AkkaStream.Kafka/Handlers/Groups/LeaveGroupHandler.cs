using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// LeaveGroup (13), v0-v4, onto <see cref="LeaveGroupRequest"/>. v0-v2 name one member id and
/// have only a top-level error, which then carries that member's own error when the group had none
/// (as Kafka's response does); v3+ name several members and answer each. Stateless, so thread-safe.
/// </summary>
public sealed class LeaveGroupHandler : IKafkaApiHandler
{
    private const short FirstBatchVersion = 3;

    public ApiKey Key => ApiKey.LeaveGroup;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var batched = request.Header.ApiVersion >= FirstBatchVersion;
        IReadOnlyList<LeavingMember> members = batched
            ? [.. MessageFields.Structs(body, "Members").Select(m => new LeavingMember(m.Get<string>("MemberId"), m.Get<string?>("GroupInstanceId")))]
            : [new LeavingMember(body.Get<string>("MemberId"), null)];
        var left = await context.AskGroupAsync<LeaveGroupResponse>(new LeaveGroupRequest(body.Get<string>("GroupId"), members), cancellation)
            .ConfigureAwait(false);

        var response = request.Api.Response.NewDefault();
        if (!batched)
        {
            var error = left.Error == ErrorCode.None && left.Members.Count > 0 ? left.Members[0].Error : left.Error;
            return response.With("ErrorCode", (short)error);
        }
        var memberSchema = response.Schema.ElementOf("Members");
        return response
            .With("ErrorCode", (short)left.Error)
            .With("Members", left.Members.Select(m => (object?)memberSchema.NewDefault()
                .With("MemberId", m.MemberId)
                .With("GroupInstanceId", m.GroupInstanceId)
                .With("ErrorCode", (short)m.Error)).ToArray());
    }
}
