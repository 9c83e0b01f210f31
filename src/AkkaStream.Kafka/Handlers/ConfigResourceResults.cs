using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// What AlterConfigs and IncrementalAlterConfigs share: topics are the only resources whose
/// settings change (a broker's are static, in HOCON), and the answer is one error per resource.
/// Thread-safe (stateless).
/// </summary>
internal static class ConfigResourceResults
{
    public sealed record Outcome(ErrorCode Error, string? Message)
    {
        public static readonly Outcome Ok = new(ErrorCode.None, null);
    }

    /// <summary>Null for a topic resource; the refusal of any other.</summary>
    public static Outcome? RefuseUnlessTopic(MessageStruct resource) => resource.Get<sbyte>("ResourceType") switch
    {
        ConfigSources.TopicResource => null,
        ConfigSources.BrokerResource => new Outcome(ErrorCode.InvalidRequest,
            "broker settings are static: set them in the broker's HOCON configuration and restart it"),
        var other => new Outcome(ErrorCode.InvalidRequest, $"resource type {other} is not a topic (2) or a broker (4)"),
    };

    public static MessageStruct Response(Protocol.Framing.DecodedRequest request, IReadOnlyList<MessageStruct> resources, IReadOnlyList<Outcome> outcomes)
    {
        var response = request.Api.Response.NewDefault();
        var schema = response.Schema.ElementOf("Responses");
        response["Responses"] = resources.Select((resource, i) => (object?)schema.NewDefault()
            .With("ErrorCode", (short)outcomes[i].Error)
            .With("ErrorMessage", outcomes[i].Message)
            .With("ResourceType", resource.Get<sbyte>("ResourceType"))
            .With("ResourceName", resource.Get<string>("ResourceName"))).ToArray();
        return response;
    }
}
