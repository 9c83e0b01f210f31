using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Assignors;

/// <summary>
/// How members give up partitions in a rebalance. Eager: every member revokes all it owns before
/// it joins. Cooperative: members keep what they own, and only partitions that move are revoked,
/// in a second rebalance (KIP-429).
/// </summary>
public enum RebalanceProtocol
{
    Eager,
    Cooperative,
}

/// <summary>A member as the group leader's assignor sees it.</summary>
public sealed record AssignorMember(string MemberId, string? GroupInstanceId, ConsumerProtocolSubscription Subscription)
{
    /// <summary>
    /// Kafka's member order: static members by instance id first, then dynamic members by member id
    /// (ordinal), so that a restarted static member gets the same place.
    /// </summary>
    public static readonly IComparer<AssignorMember> Order = Comparer<AssignorMember>.Create((a, b) =>
        (a.GroupInstanceId, b.GroupInstanceId) switch
        {
            ({ } x, { } y) => string.CompareOrdinal(x, y),
            ({ }, null) => -1,
            (null, { }) => 1,
            _ => string.CompareOrdinal(a.MemberId, b.MemberId),
        });
}

/// <summary>
/// A partition assignor run by the group's leader over every member's subscription (Kafka's
/// ConsumerPartitionAssignor). Implementations are stateless and thread-safe.
/// </summary>
public interface IPartitionAssignor
{
    /// <summary>The protocol name members join with ("range", "roundrobin", "cooperative-sticky").</summary>
    string Name { get; }

    RebalanceProtocol Protocol { get; }

    /// <summary>
    /// Every member's partitions (an entry for every member, possibly empty). Topics missing from
    /// <paramref name="partitionsPerTopic"/> are not known to exist and get no assignment.
    /// </summary>
    IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic,
        IReadOnlyList<AssignorMember> members);
}
