using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>Heartbeat (12), v0-v4, onto <see cref="HeartbeatRequest"/> (v3 brings the group instance id). Stateless, so thread-safe.</summary>
public sealed class HeartbeatHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.Heartbeat;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var heartbeat = new HeartbeatRequest(body.Get<string>("GroupId"), body.Get<int>("GenerationId"), body.Get<string>("MemberId"),
            body.Get<string?>("GroupInstanceId"));
        var answer = await context.AskGroupAsync<HeartbeatResponse>(heartbeat, cancellation).ConfigureAwait(false);
        return request.Api.Response.NewDefault().With("ErrorCode", (short)answer.Error);
    }
}
