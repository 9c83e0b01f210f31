using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Serves one Kafka API: takes a decoded request body and answers with the response body of the
/// same version, mapping the request onto the broker's actors. A handler never throws for a bad
/// request: every failure becomes the matching Kafka error code in the response, so the client can
/// act on it and the connection stays open. Handlers are shared by every connection of a broker,
/// so they keep no per-request state.
/// </summary>
public interface IKafkaApiHandler
{
    ApiKey Key { get; }

    Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation);
}
