using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

/// <summary>
/// One member of a group, as Kafka's MemberMetadata: the client it runs in (client id and host,
/// as it joined), its protocols, timeouts, assignment, the join or sync request it is waiting on (an opaque reply handle, an actor ref in the entity) and when it
/// was last heard from. Mutable, owned by one <see cref="GroupMembership"/>; not thread-safe.
/// </summary>
public sealed class GroupMember(string memberId, string? groupInstanceId, GroupClient client, string protocolType, IReadOnlyList<GroupProtocol> protocols,
    int sessionTimeoutMs, int rebalanceTimeoutMs)
{
    public string MemberId { get; } = memberId;

    public string? GroupInstanceId { get; } = groupInstanceId;

    public GroupClient Client { get; } = client;

    public string ProtocolType { get; } = protocolType;

    public IReadOnlyList<GroupProtocol> Protocols { get; set; } = protocols;

    public int SessionTimeoutMs { get; set; } = sessionTimeoutMs;

    public int RebalanceTimeoutMs { get; set; } = rebalanceTimeoutMs;

    public byte[] Assignment { get; set; } = [];

    /// <summary>Where the answer to the member's pending JoinGroup goes; null when it is not waiting for one.</summary>
    public object? JoinWaiter { get; set; }

    /// <summary>Where the answer to the member's pending SyncGroup goes.</summary>
    public object? SyncWaiter { get; set; }

    public long LastSeenMs { get; set; }

    /// <summary>A member of the current generation that has not sent its SyncGroup yet (Kafka's pending-sync members).</summary>
    public bool SyncPending { get; set; }

    /// <summary>Joined during the current rebalance (it has not yet received a join answer).</summary>
    public bool IsNew { get; set; }

    public bool IsStatic => GroupInstanceId is not null;

    public bool IsAwaitingJoin => JoinWaiter is not null;

    /// <summary>The metadata the member sent for <paramref name="protocol"/>; empty when it does not support it.</summary>
    public byte[] MetadataFor(string? protocol)
    {
        foreach (var p in Protocols)
        {
            if (p.Name == protocol) return p.Metadata;
        }
        return [];
    }

    public bool Supports(string protocol)
    {
        foreach (var p in Protocols)
        {
            if (p.Name == protocol) return true;
        }
        return false;
    }

    /// <summary>The member's most preferred protocol among <paramref name="candidates"/>.</summary>
    public string Vote(IReadOnlyCollection<string> candidates)
    {
        foreach (var p in Protocols)
        {
            if (candidates.Contains(p.Name)) return p.Name;
        }
        throw new InvalidOperationException($"member {MemberId} supports none of the candidate protocols");
    }

    /// <summary>Whether <paramref name="other"/> names the same protocols, in the same order, with the same metadata.</summary>
    public bool SameProtocols(IReadOnlyList<GroupProtocol> other)
    {
        if (other.Count != Protocols.Count) return false;
        for (var i = 0; i < other.Count; i++)
        {
            if (other[i].Name != Protocols[i].Name || !other[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata)) return false;
        }
        return true;
    }
}
