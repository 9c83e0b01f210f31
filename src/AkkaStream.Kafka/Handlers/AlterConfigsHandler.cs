using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using static AkkaStream.Kafka.Handlers.ConfigResourceResults;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// AlterConfigs 0-1: replaces a topic's whole set of settings; every setting the request does not
/// name returns to its default, as in Kafka. A bad name or value refuses the resource with
/// InvalidConfig and changes nothing. Stateless, so thread-safe.
/// </summary>
public sealed class AlterConfigsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.AlterConfigs;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var validateOnly = request.Body.Get<bool>("ValidateOnly");
        var resources = request.Body.Structs("Resources").ToList();
        var outcomes = await Task.WhenAll(resources.Select(r => AlterAsync(context, r, validateOnly, cancellation)));
        return Response(request, resources, outcomes);
    }

    private static async Task<Outcome> AlterAsync(KafkaRequestContext context, MessageStruct resource, bool validateOnly, CancellationToken cancellation)
    {
        if (RefuseUnlessTopic(resource) is { } refused) return refused;
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in resource.Structs("Configs"))
        {
            var name = config.Get<string>("Name");
            if (config.Get<string?>("Value") is not { } value)
            {
                return new Outcome(ErrorCode.InvalidRequest, $"setting '{name}' has a null value");
            }
            if (!set.TryAdd(name, value))
            {
                return new Outcome(ErrorCode.InvalidRequest, $"setting '{name}' is named more than once");
            }
        }
        var altered = await context.AskAsync<AlterConfigsResponse>(
            new AlterConfigsRequest(resource.Get<string>("ResourceName"), set, [], validateOnly, ReplaceAll: true), cancellation);
        return new Outcome(altered.Error, altered.ErrorMessage);
    }
}
