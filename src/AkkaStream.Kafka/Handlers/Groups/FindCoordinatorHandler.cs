using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// FindCoordinator (10), v0-v3. A group key (type 0; v0 has no type) is asked of the group's
/// coordinator entity, which names the broker it runs on; the answer is that broker's advertised
/// Kafka address from this broker's metadata, as Metadata lists it. AkkaStream has no transaction
/// coordinator: key type 1, like any other type, is refused with INVALID_REQUEST, Kafka's answer
/// to a coordinator type it does not know. Stateless, so thread-safe.
/// </summary>
public sealed class FindCoordinatorHandler : IKafkaApiHandler
{
    private const sbyte GroupKeyType = 0;

    public ApiKey Key => ApiKey.FindCoordinator;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var keyType = request.Body.Get<sbyte>("KeyType");
        if (keyType != GroupKeyType)
        {
            return Refused(request, ErrorCode.InvalidRequest, $"AkkaStream coordinates consumer groups only (key type 0), not key type {keyType}");
        }
        var found = await context.AskGroupAsync<FindCoordinatorResponse>(new FindCoordinatorRequest(request.Body.Get<string>("Key")), cancellation)
            .ConfigureAwait(false);
        if (found.Error != ErrorCode.None) return Refused(request, found.Error, found.ErrorMessage);
        var broker = context.Metadata.Current.Brokers.FirstOrDefault(b => b.BrokerId == found.BrokerId && b.KafkaPort > 0);
        if (broker is null)
        {
            // Retriable: the broker's listener is not yet (or no longer) in this broker's metadata.
            return Refused(request, ErrorCode.CoordinatorNotAvailable,
                $"broker {found.BrokerId} coordinates the group but has no Kafka listener in this broker's metadata");
        }
        return request.Api.Response.NewDefault()
            .With("NodeId", broker.BrokerId)
            .With("Host", broker.KafkaHost)
            .With("Port", broker.KafkaPort);
    }

    private static MessageStruct Refused(DecodedRequest request, ErrorCode error, string? message) =>
        request.Api.Response.NewDefault()
            .With("ErrorCode", (short)error)
            .With("ErrorMessage", message)
            .With("NodeId", -1)
            .With("Port", -1);
}
