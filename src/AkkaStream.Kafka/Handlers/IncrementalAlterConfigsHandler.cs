using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using static AkkaStream.Kafka.Handlers.ConfigResourceResults;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// IncrementalAlterConfigs 0-1 (KIP-339): per topic setting, SET a value, DELETE it (back to the
/// default), APPEND to or SUBTRACT from a list setting (<c>cleanup.policy</c>). The whole resource
/// is one change to the controller, refused as a whole with InvalidConfig (bad name or value) or
/// InvalidRequest (unknown operation, a setting named twice, a SET without a value).
/// Stateless, so thread-safe.
/// </summary>
public sealed class IncrementalAlterConfigsHandler : IKafkaApiHandler
{
    private const sbyte Set = 0;
    private const sbyte Delete = 1;
    private const sbyte Append = 2;
    private const sbyte Subtract = 3;

    public ApiKey Key => ApiKey.IncrementalAlterConfigs;

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
        var topic = resource.Get<string>("ResourceName");
        var configs = resource.Structs("Configs").ToList();
        var duplicate = configs.GroupBy(c => c.Get<string>("Name")).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return new Outcome(ErrorCode.InvalidRequest, $"setting '{duplicate.Key}' is named more than once");
        }
        IReadOnlyDictionary<string, string>? current = null;
        if (configs.Any(c => c.Get<sbyte>("ConfigOperation") is Append or Subtract))
        {
            // A list is changed from its current value. Read before the change, not atomically
            // with it: a concurrent change of the same list by another client may be lost, as with
            // Kafka clients that read-modify-write through AlterConfigs.
            var described = await context.AskAsync<DescribeConfigsResponse>(new DescribeConfigsRequest(topic), cancellation);
            if (described.Error != ErrorCode.None) return new Outcome(described.Error, described.ErrorMessage);
            current = described.Entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        }

        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        var delete = new List<string>();
        foreach (var config in configs)
        {
            var name = config.Get<string>("Name");
            var value = config.Get<string?>("Value");
            switch (config.Get<sbyte>("ConfigOperation"))
            {
                case Set when value is null:
                    return new Outcome(ErrorCode.InvalidRequest, $"SET of '{name}' has no value");
                case Set:
                    set[name] = value;
                    break;
                case Delete:
                    delete.Add(name);
                    break;
                case Append or Subtract when ConfigSources.TypeOf(name) != ConfigSources.TypeList || !current!.ContainsKey(name):
                    return new Outcome(ErrorCode.InvalidConfig, $"'{name}' is not a list setting: APPEND and SUBTRACT apply to lists only");
                case Append:
                    set[name] = string.Join(',', Items(current![name]).Union(Items(value)));
                    break;
                case Subtract:
                    set[name] = string.Join(',', Items(current![name]).Except(Items(value)));
                    break;
                case var other:
                    return new Outcome(ErrorCode.InvalidRequest, $"config operation {other} is not SET (0), DELETE (1), APPEND (2) or SUBTRACT (3)");
            }
        }
        var altered = await context.AskAsync<AlterConfigsResponse>(new AlterConfigsRequest(topic, set, delete, validateOnly), cancellation);
        return new Outcome(altered.Error, altered.ErrorMessage);
    }

    private static IEnumerable<string> Items(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
