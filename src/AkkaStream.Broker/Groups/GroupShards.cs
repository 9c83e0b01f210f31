using System.Text;
using Akka.Cluster.Sharding;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

/// <summary>An internal message on its way through the <c>group</c> shard region to one group's entity.</summary>
public sealed record GroupEnvelope(string GroupId, object Message) : Protocol.Serialization.IHyperionSerializable;

/// <summary>
/// Routes group requests to their group's entity (entity id = group id). The shard id is a stable
/// hash of the group id modulo the shard count: every broker, in every process and every run, must
/// put a group in the same shard (string.GetHashCode is randomised per process). Thread-safe (immutable).
/// </summary>
public sealed class GroupMessageExtractor(int shards) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        IGroupRequest r => r.GroupId,
        GroupEnvelope e => e.GroupId,
        _ => null,
    };

    public object? EntityMessage(object message) => message is GroupEnvelope e ? e.Message : message;

    public string? ShardId(object message) => EntityId(message) is { } id ? ShardId(id) : null;

    public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId, shards).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>FNV-1a (32 bits) of the group id's UTF-8 bytes, modulo <paramref name="shards"/>.</summary>
    public static int ShardOf(string groupId, int shards)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(groupId))
        {
            hash = (hash ^ b) * prime;
        }
        return (int)(hash % (uint)shards);
    }
}
