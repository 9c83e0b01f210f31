using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// SyncGroup (14), v0-v4, onto <see cref="SyncGroupRequest"/>: the leader's assignments in, the
/// member's own assignment out. v3 brings the group instance id; the protocol type and name are
/// v5+, so they are not checked here. Stateless, so thread-safe.
/// </summary>
public sealed class SyncGroupHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.SyncGroup;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var sync = new SyncGroupRequest(
            body.Get<string>("GroupId"),
            body.Get<int>("GenerationId"),
            body.Get<string>("MemberId"),
            body.Get<string?>("GroupInstanceId"),
            ProtocolType: null,
            ProtocolName: null,
            [.. MessageFields.Structs(body, "Assignments").Select(a => new GroupAssignment(a.Get<string>("MemberId"), a.Get<byte[]>("Assignment")))]);
        var synced = await context.AskGroupAsync<SyncGroupResponse>(sync, cancellation).ConfigureAwait(false);
        return request.Api.Response.NewDefault()
            .With("ErrorCode", (short)synced.Error)
            .With("Assignment", synced.Assignment ?? []);
    }
}
