using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Metadata (3), v0-v8: from the broker's metadata cache through the gateway. Brokers are listed
/// with the Kafka address each one advertises in its cluster membership (a broker without a Kafka
/// listener is left out: a client could not reach it); a partition's offline replicas are those
/// not among the live brokers. A topic is created on request only when the broker's
/// <c>auto-create-topics</c> is on and the client allows it (always before v4, the flag after).
/// </summary>
public sealed class MetadataHandler : IKafkaApiHandler
{
    private static readonly StructSchema BrokerSchema = MetadataApi.Declaration.Response.ElementOf("Brokers");
    private static readonly StructSchema TopicSchema = MetadataApi.Declaration.Response.ElementOf("Topics");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");

    public ApiKey Key => ApiKey.Metadata;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var version = request.Header.ApiVersion;
        var names = TopicNames(request.Body, version);
        var allowCreation = version < 4 || request.Body.Get<bool>("AllowAutoTopicCreation");
        var metadata = await GatewayAsk.AskAsync<MetadataResponse>(context,
            new MetadataRequest(names) { AllowAutoTopicCreation = allowCreation }, context.AskTimeout, cancellation).ConfigureAwait(false);
        metadata ??= new MetadataResponse("", -1, 0, [],
            [.. (names ?? []).Select(n => new TopicMetadata(n, Guid.Empty, ErrorCode.RequestTimedOut, []))]);
        return Build(metadata);
    }

    /// <summary>The topics asked for, or null for all (an empty list in v0, a null one from v1).</summary>
    private static string[]? TopicNames(MessageStruct body, short version)
    {
        var topics = body.Get<object?[]?>("Topics");
        if (topics is null || (version == 0 && topics.Length == 0)) return null;
        var names = new string[topics.Length];
        for (var i = 0; i < names.Length; i++) names[i] = ((MessageStruct)topics[i]!).Get<string>("Name");
        return names;
    }

    private static MessageStruct Build(MetadataResponse metadata)
    {
        var live = new HashSet<int>();
        var brokers = new List<object?>();
        foreach (var broker in metadata.Brokers)
        {
            live.Add(broker.BrokerId);
            if (broker.KafkaPort <= 0) continue;
            brokers.Add(BrokerSchema.NewDefault()
                .With("NodeId", broker.BrokerId)
                .With("Host", broker.KafkaHost)
                .With("Port", broker.KafkaPort));
        }
        var topics = new object?[metadata.Topics.Count];
        for (var i = 0; i < topics.Length; i++)
        {
            var topic = metadata.Topics[i];
            var partitions = new object?[topic.Partitions.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                var partition = topic.Partitions[p];
                partitions[p] = PartitionSchema.NewDefault()
                    .With("ErrorCode", (short)partition.Error)
                    .With("PartitionIndex", partition.Partition)
                    .With("LeaderId", partition.Leader)
                    .With("LeaderEpoch", partition.LeaderEpoch)
                    .With("ReplicaNodes", MessageFields.Int32s(partition.Replicas))
                    .With("IsrNodes", MessageFields.Int32s(partition.Isr))
                    .With("OfflineReplicas", MessageFields.Int32s([.. partition.Replicas.Where(r => !live.Contains(r))]));
            }
            topics[i] = TopicSchema.NewDefault()
                .With("ErrorCode", (short)topic.Error)
                .With("Name", topic.Name)
                .With("Partitions", partitions);
        }
        return MetadataApi.Declaration.Response.NewDefault()
            .With("Brokers", brokers.ToArray())
            .With("ClusterId", metadata.ClusterId.Length == 0 ? null : metadata.ClusterId)
            .With("ControllerId", metadata.ControllerId)
            .With("Topics", topics);
    }
}
