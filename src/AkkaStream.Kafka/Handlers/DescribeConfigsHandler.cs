using System.Globalization;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// DescribeConfigs 0-4. A topic resource lists every topic setting, the topic's own value or the
/// default, with its source (topic or default), type and synonyms as Kafka does; a broker resource
/// lists this broker's listener settings, read-only because they are static (HOCON). Asked-for
/// keys filter the list. Each resource gets its own error. Stateless, so thread-safe.
/// </summary>
public sealed class DescribeConfigsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.DescribeConfigs;

    /// <summary>One described setting, before it is shaped for the request's version.</summary>
    private sealed record Described(string Name, string Value, sbyte Source, bool ReadOnly, sbyte Type);

    private sealed record Outcome(ErrorCode Error, string? Message, IReadOnlyList<Described> Entries);

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var version = request.Header.ApiVersion;
        var synonyms = version >= 1 && request.Body.Get<bool>("IncludeSynonyms");
        var response = request.Api.Response.NewDefault();
        var resultSchema = response.Schema.ElementOf("Results");
        var resources = request.Body.Structs("Resources").ToList();
        var outcomes = await Task.WhenAll(resources.Select(r => DescribeAsync(context, r, cancellation)));
        response["Results"] = resources.Select((resource, i) =>
        {
            var keys = resource.Get<object?[]?>("ConfigurationKeys")?.Cast<string>().ToHashSet(StringComparer.Ordinal);
            var outcome = outcomes[i];
            return (object?)resultSchema.NewDefault()
                .With("ErrorCode", (short)outcome.Error)
                .With("ErrorMessage", outcome.Message)
                .With("ResourceType", resource.Get<sbyte>("ResourceType"))
                .With("ResourceName", resource.Get<string>("ResourceName"))
                .With("Configs", outcome.Entries.Where(e => keys is null || keys.Contains(e.Name))
                    .Select(e => (object?)Entry(resultSchema.ElementOf("Configs"), e, synonyms)).ToArray());
        }).ToArray();
        return response;
    }

    private static async Task<Outcome> DescribeAsync(KafkaRequestContext context, MessageStruct resource, CancellationToken cancellation)
    {
        var name = resource.Get<string>("ResourceName");
        switch (resource.Get<sbyte>("ResourceType"))
        {
            case ConfigSources.TopicResource:
                var described = await context.AskAsync<DescribeConfigsResponse>(new DescribeConfigsRequest(name), cancellation);
                return new Outcome(described.Error, described.ErrorMessage, [.. described.Entries.Select(e => new Described(
                    e.Name, e.Value, e.IsDefault ? ConfigSources.DefaultConfig : ConfigSources.TopicConfig, false, ConfigSources.TypeOf(e.Name)))]);
            case ConfigSources.BrokerResource:
                // Kafka: an empty name is the cluster-wide default; otherwise the broker's own id.
                return name.Length == 0 || name == Id(context.BrokerId)
                    ? new Outcome(ErrorCode.None, null, BrokerSettings(context))
                    : new Outcome(ErrorCode.InvalidRequest, $"this is broker {context.BrokerId}; ask broker {name} for its settings", []);
            default:
                return new Outcome(ErrorCode.InvalidRequest, $"resource type {resource.Get<sbyte>("ResourceType")} is not a topic (2) or a broker (4)", []);
        }
    }

    /// <summary>The settings a client asks a broker for that this broker has (its listener), all static.</summary>
    private static List<Described> BrokerSettings(KafkaRequestContext context)
    {
        var listener = context.Listener;
        return
        [
            Static("broker.id", Id(context.BrokerId), ConfigSources.TypeInt),
            Static("listeners", $"PLAINTEXT://{listener.Host}:{Id(listener.Port)}", ConfigSources.TypeList),
            Static("advertised.listeners", $"PLAINTEXT://{listener.AdvertisedHost}:{Id(listener.AdvertisedPort)}", ConfigSources.TypeList),
            Static("socket.request.max.bytes", Id(listener.MaxRequestBytes), ConfigSources.TypeInt),
        ];
    }

    private static Described Static(string name, string value, sbyte type) => new(name, value, ConfigSources.StaticBrokerConfig, true, type);

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static MessageStruct Entry(StructSchema schema, Described e, bool synonyms)
    {
        var synonymSchema = schema.ElementOf("Synonyms");
        return schema.NewDefault()
            .With("Name", e.Name)
            .With("Value", e.Value)
            .With("ReadOnly", e.ReadOnly)
            .With("IsDefault", e.Source == ConfigSources.DefaultConfig)
            .With("ConfigSource", e.Source)
            .With("IsSensitive", false)
            // Kafka lists the value's own source first among its synonyms.
            .With("Synonyms", synonyms
                ? [synonymSchema.NewDefault().With("Name", e.Name).With("Value", e.Value).With("Source", e.Source)]
                : System.Array.Empty<object?>())
            .With("ConfigType", e.Type);
    }
}
