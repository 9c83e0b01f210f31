using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// The group APIs until AkkaStream has a group coordinator: each answers COORDINATOR_NOT_AVAILABLE
/// (retriable: clients back off and ask again) in its own response shape, with the error where the
/// version carries one (per partition, per group or at the top). A subclass names its API and fills
/// the errors into a default response.
/// </summary>
public abstract class CoordinatorNotAvailableHandler(ApiDeclaration api) : IKafkaApiHandler
{
    protected const short Error = (short)ErrorCode.CoordinatorNotAvailable;

    public ApiKey Key => api.Key;

    public Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var response = api.Response.NewDefault();
        Answer(request.Body, request.Header.ApiVersion, response);
        return Task.FromResult(response);
    }

    /// <summary>Puts the error into <paramref name="response"/> (a default response of the request's version).</summary>
    protected abstract void Answer(MessageStruct request, short version, MessageStruct response);
}
