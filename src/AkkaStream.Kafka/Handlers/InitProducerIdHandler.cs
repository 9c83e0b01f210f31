using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// InitProducerId (22), v0-v3: a new producer id and epoch from the controller, through the
/// gateway, for an idempotent producer. AkkaStream has no transaction coordinator, so a
/// transactional id is answered CoordinatorNotAvailable; a v3 request to resume an id gets a new one.
/// </summary>
public sealed class InitProducerIdHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.InitProducerId;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var response = InitProducerIdApi.Declaration.Response.NewDefault();
        if (request.Body.Get<string?>("TransactionalId") is not null)
        {
            return response.With("ErrorCode", (short)ErrorCode.CoordinatorNotAvailable).With("ProducerEpoch", (short)-1);
        }
        var answer = await GatewayAsk.AskAsync<InitProducerIdResponse>(context, InitProducerIdRequest.Instance, context.AskTimeout, cancellation)
            .ConfigureAwait(false);
        if (answer is null) return response.With("ErrorCode", (short)ErrorCode.RequestTimedOut).With("ProducerEpoch", (short)-1);
        return response
            .With("ErrorCode", (short)answer.Error)
            .With("ProducerId", answer.ProducerId)
            .With("ProducerEpoch", answer.ProducerEpoch);
    }
}
