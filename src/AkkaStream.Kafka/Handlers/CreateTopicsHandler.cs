using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// CreateTopics 0-6: each topic is one request to the controller (through the gateway), with its
/// partition count and replication factor (-1 for the broker's defaults), or a manual assignment,
/// its settings and validate-only; each topic gets its own error. v5+ answers with the partition
/// count, replication factor and settings of the new topic. Stateless, so thread-safe.
/// </summary>
public sealed class CreateTopicsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.CreateTopics;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var validateOnly = request.Header.ApiVersion >= 1 && body.Get<bool>("ValidateOnly");
        var topics = body.Structs("Topics").ToList();
        // Kafka refuses every copy of a topic named twice in one request, and creates none of them.
        var named = topics.GroupBy(t => t.Get<string>("Name")).ToDictionary(g => g.Key, g => g.Count());
        var results = await Task.WhenAll(topics.Select(topic => named[topic.Get<string>("Name")] > 1
            ? Task.FromResult(new CreateTopicResponse(topic.Get<string>("Name"), ErrorCode.InvalidRequest,
                $"topic '{topic.Get<string>("Name")}' is named more than once in the request", Guid.Empty))
            : CreateAsync(context, topic, validateOnly, body.Get<int>("TimeoutMs"), cancellation)));

        var response = request.Api.Response.NewDefault();
        var resultSchema = response.Schema.ElementOf("Topics");
        response["Topics"] = results.Select(r => (object?)Result(resultSchema, r)).ToArray();
        return response;
    }

    private static async Task<CreateTopicResponse> CreateAsync(KafkaRequestContext context, MessageStruct topic, bool validateOnly, int timeoutMs, CancellationToken cancellation)
    {
        var name = topic.Get<string>("Name");
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in topic.Structs("Configs"))
        {
            if (config.Get<string?>("Value") is not { } value)
            {
                return new CreateTopicResponse(name, ErrorCode.InvalidConfig, $"setting '{config.Get<string>("Name")}' has a null value", Guid.Empty);
            }
            configs[config.Get<string>("Name")] = value;
        }
        if (!TryAssignments(topic, out var assignments, out var refusal))
        {
            return new CreateTopicResponse(name, ErrorCode.InvalidReplicaAssignment, refusal, Guid.Empty);
        }
        var created = await context.AskAsync<CreateTopicResponse>(
            new CreateTopicRequest(name, topic.Get<int>("NumPartitions"), topic.Get<short>("ReplicationFactor"), configs, validateOnly, assignments),
            cancellation);
        if (created.Error == ErrorCode.None && !validateOnly)
        {
            await context.UntilMetadataShowsAsync(timeoutMs, m => m.Topics.ContainsKey(name), cancellation);
        }
        return created;
    }

    /// <summary>The manual assignment in partition order; Kafka requires the indexes 0 … n-1, each once.</summary>
    private static bool TryAssignments(MessageStruct topic, out IReadOnlyList<IReadOnlyList<int>>? assignments, out string refusal)
    {
        assignments = null;
        refusal = "";
        var given = topic.Structs("Assignments").ToList();
        if (given.Count == 0) return true;
        var byIndex = given.OrderBy(a => a.Get<int>("PartitionIndex")).ToList();
        for (var i = 0; i < byIndex.Count; i++)
        {
            if (byIndex[i].Get<int>("PartitionIndex") != i)
            {
                refusal = $"the assigned partition indexes must be 0 to {byIndex.Count - 1}, each once";
                return false;
            }
        }
        assignments = [.. byIndex.Select(a => (IReadOnlyList<int>)[.. a.Get<object?[]>("BrokerIds").Cast<int>()])];
        return true;
    }

    private static MessageStruct Result(StructSchema schema, CreateTopicResponse created)
    {
        var result = schema.NewDefault()
            .With("Name", created.Name)
            .With("ErrorCode", (short)created.Error)
            .With("ErrorMessage", created.ErrorMessage);
        if (created.Error != ErrorCode.None) return result;
        var configSchema = schema.ElementOf("Configs");
        return result
            .With("NumPartitions", created.Partitions)
            .With("ReplicationFactor", created.ReplicationFactor)
            .With("Configs", (created.Configs ?? []).Select(e => (object?)configSchema.NewDefault()
                .With("Name", e.Name)
                .With("Value", e.Value)
                .With("ReadOnly", false)
                .With("ConfigSource", e.IsDefault ? ConfigSources.DefaultConfig : ConfigSources.TopicConfig)
                .With("IsSensitive", false)).ToArray());
    }
}
