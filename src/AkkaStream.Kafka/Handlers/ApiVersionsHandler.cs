using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// ApiVersions (18): the ranges of <see cref="SupportedApis.Default"/>, so that what is advertised is
/// what is served. A request at an unsupported version never reaches here: the connection answers
/// it in the v0 layout with UNSUPPORTED_VERSION.
/// </summary>
public sealed class ApiVersionsHandler : IKafkaApiHandler
{
    private readonly MessageStruct _answer = ApiVersionsResponses.Build(SupportedApis.Default);

    public ApiKey Key => ApiKey.ApiVersions;

    public Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation) =>
        Task.FromResult(_answer);
}
