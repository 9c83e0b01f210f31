using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Creates a topic. Names follow Kafka's rules (<c>[a-zA-Z0-9._-]</c>, at most 249 characters,
/// not <c>.</c> or <c>..</c>); configs use Kafka's topic setting names.
/// </summary>
/// <param name="ReplicationFactor">-1 for the broker's default.</param>
/// <param name="Partitions">-1 for the broker's default.</param>
/// <param name="Assignments">
/// The replicas of each partition, leader first, in partition order (Kafka's manual assignment);
/// null to let the controller spread them. When given, the partition count and replication factor
/// come from it and must be -1 or agree with it.
/// </param>
public sealed record CreateTopicRequest(
    string Name,
    int Partitions,
    short ReplicationFactor,
    IReadOnlyDictionary<string, string> Configs,
    bool ValidateOnly = false,
    IReadOnlyList<IReadOnlyList<int>>? Assignments = null) : IControlMessage
{
    // Copied: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyDictionary<string, string> Configs { get; init; } = new Dictionary<string, string>(Configs);

    public IReadOnlyList<IReadOnlyList<int>>? Assignments { get; init; } = Assignments?.Select(r => r.ToArray()).ToArray();
}

/// <summary>The created (or, with validate-only, the would-be) topic: its id, partition count, replication factor and every setting.</summary>
/// <param name="Configs">Every setting of the topic as DescribeConfigs lists them; empty on error.</param>
public sealed record CreateTopicResponse(
    string Name,
    ErrorCode Error,
    string? ErrorMessage,
    Guid TopicId,
    int Partitions = -1,
    short ReplicationFactor = -1,
    IReadOnlyList<ConfigEntry>? Configs = null) : IControlMessage, IErrorReply;

/// <summary>Deletes a topic; its logs are deleted on every broker.</summary>
public sealed record DeleteTopicRequest(string Name) : IControlMessage;

public sealed record DeleteTopicResponse(string Name, ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;

/// <summary>Raises a topic's partition count to <paramref name="TotalCount"/> (partitions are never removed).</summary>
/// <param name="Assignments">The replicas of each new partition, leader first; null to let the controller spread them.</param>
public sealed record CreatePartitionsRequest(
    string Name,
    int TotalCount,
    bool ValidateOnly = false,
    IReadOnlyList<IReadOnlyList<int>>? Assignments = null) : IControlMessage
{
    // Copied into arrays: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyList<IReadOnlyList<int>>? Assignments { get; init; } = Assignments?.Select(r => r.ToArray()).ToArray();
}

public sealed record CreatePartitionsResponse(string Name, ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;

/// <summary>Sets and removes topic settings (Kafka's IncrementalAlterConfigs); removed settings return to their defaults.</summary>
/// <param name="ReplaceAll">Kafka's AlterConfigs: the topic's settings become exactly <paramref name="Set"/>, every other one returns to its default.</param>
public sealed record AlterConfigsRequest(
    string Name,
    IReadOnlyDictionary<string, string> Set,
    IReadOnlyList<string> Delete,
    bool ValidateOnly = false,
    bool ReplaceAll = false) : IControlMessage
{
    // Copied: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>(Set);

    public IReadOnlyList<string> Delete { get; init; } = Delete.ToArray();
}

public sealed record AlterConfigsResponse(string Name, ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;

/// <summary>Asks for a topic's settings.</summary>
public sealed record DescribeConfigsRequest(string Name) : IControlMessage;

/// <summary>A topic's settings: those set on the topic, and the default of every other one.</summary>
public sealed record DescribeConfigsResponse(
    string Name,
    ErrorCode Error,
    string? ErrorMessage,
    IReadOnlyList<ConfigEntry> Entries) : IControlMessage, IErrorReply;

/// <summary>One topic setting; <see cref="IsDefault"/> when the topic does not set it.</summary>
public sealed record ConfigEntry(string Name, string Value, bool IsDefault);

/// <summary>Asks for the cluster's members and where its controller runs.</summary>
public sealed record DescribeClusterRequest : IControlMessage
{
    public static readonly DescribeClusterRequest Instance = new();
}

public sealed record DescribeClusterResponse(string ClusterId, int ControllerId, IReadOnlyList<BrokerMetadata> Brokers) : IControlMessage;
