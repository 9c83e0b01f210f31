using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>Asks any broker for the cluster's metadata: every topic when <paramref name="Topics"/> is null.</summary>
public sealed record MetadataRequest(IReadOnlyList<string>? Topics) : IControlMessage
{
    // Copied into an array: a caller's collection may be of a type the remote serializer refuses
    // (a collection expression compiles to a hidden list type).
    public IReadOnlyList<string>? Topics { get; init; } = Topics?.ToArray();

    /// <summary>
    /// Kafka's allow_auto_topic_creation: false keeps a broker with <c>auto-create-topics</c> on from
    /// creating the unknown topics this request names (a consumer asking must not create them).
    /// </summary>
    public bool AllowAutoTopicCreation { get; init; } = true;

    public static readonly MetadataRequest AllTopics = new((IReadOnlyList<string>?)null);
}

/// <summary>A broker of the cluster, and where its gateway actor listens.</summary>
/// <param name="GatewayPath">The full actor path of the broker's gateway, e.g. <c>akka.tcp://akkastream@10.0.0.5:2552/user/gateway</c>.</param>
/// <param name="KafkaHost">Where the broker's Kafka listener accepts connections (empty until it has one).</param>
public sealed record BrokerMetadata(int BrokerId, string GatewayPath, string KafkaHost, int KafkaPort);

/// <summary>One partition: its leader (-1 while offline), the leader's epoch, the replicas and the in-sync ones.</summary>
public sealed record PartitionMetadata(
    int Partition,
    ErrorCode Error,
    int Leader,
    int LeaderEpoch,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> Isr);

/// <summary>One topic; <see cref="Error"/> is <c>UnknownTopicOrPartition</c> for a topic that does not exist.</summary>
public sealed record TopicMetadata(string Name, Guid TopicId, ErrorCode Error, IReadOnlyList<PartitionMetadata> Partitions);

/// <summary>The answer to a <see cref="MetadataRequest"/>, from the broker's metadata cache.</summary>
/// <param name="ControllerId">The broker that runs the controller, or -1 while it moves.</param>
/// <param name="Version">Grows with every change the controller makes; a cache never goes back to an older one.</param>
public sealed record MetadataResponse(
    string ClusterId,
    int ControllerId,
    long Version,
    IReadOnlyList<BrokerMetadata> Brokers,
    IReadOnlyList<TopicMetadata> Topics) : IControlMessage;
