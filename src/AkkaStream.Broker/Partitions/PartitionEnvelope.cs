using Akka.Cluster.Sharding;

namespace AkkaStream.Broker.Partitions;

/// <summary>A request on its way through the <c>partition</c> shard region to one leader entity.</summary>
/// <remarks>Usually delivered locally; crosses Akka.Remote (Hyperion) only when a shard is briefly placed elsewhere.</remarks>
public sealed record PartitionEnvelope(string EntityId, object Message) : Protocol.Serialization.IHyperionSerializable;

/// <summary>
/// Entity id = shard id: one shard per leader epoch, so that placement follows the epoch. (Sharding
/// unwraps its own StartEntity messages before asking an extractor.) Thread-safe (stateless).
/// </summary>
public sealed class PartitionMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        PartitionEnvelope e => e.EntityId,
        _ => null,
    };

    public object? EntityMessage(object message) => message is PartitionEnvelope e ? e.Message : message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
