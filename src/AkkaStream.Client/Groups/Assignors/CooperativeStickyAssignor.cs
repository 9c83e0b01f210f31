using AkkaStream.Client.Groups;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Assignors;

/// <summary>
/// Kafka's "cooperative-sticky" assignor: balanced, sticky and incremental.
/// <list type="number">
/// <item>Each member keeps the partitions it says it owns (its subscription's owned partitions),
/// unless it no longer subscribes to the topic, or another member claims the same partition from a
/// newer generation (a member that missed a rebalance still lists what it had).</item>
/// <item>Partitions nobody keeps go, one at a time in topic and partition order, to the subscribed
/// member with the fewest partitions.</item>
/// <item>While some member could take a partition from one holding two or more partitions more, one
/// moves (a partition the holder did not own before if it has one): each move lowers the sum of
/// squared counts, so this ends, balanced as far as the subscriptions allow.</item>
/// <item>Cooperative: a partition that moves away from the member that owns it is left out of
/// every assignment of this generation. Its owner sees it revoked, gives it up and rejoins; the
/// follow-up rebalance finds it unowned and hands it to its new member. So no partition is ever
/// held by two members, and partitions that stay put are never revoked.</item>
/// </list>
/// </summary>
public sealed class CooperativeStickyAssignor : IPartitionAssignor
{
    public const string AssignorName = "cooperative-sticky";

    public string Name => AssignorName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Cooperative;

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        var sorted = members.Order(AssignorMember.Order).ToList();
        var all = AssignorPartitions.AllSubscribed(partitionsPerTopic, members).ToList();
        var existing = all.ToHashSet();
        var (owner, contested) = ValidOwners(sorted, existing);

        var assigned = sorted.ToDictionary(m => m.MemberId, _ => new SortedSet<TopicPartition>());
        foreach (var (tp, member) in owner)
        {
            assigned[member].Add(tp);
        }
        var subscribed = sorted.ToDictionary(m => m.MemberId, m => m.Subscription.Topics.ToHashSet(StringComparer.Ordinal));

        foreach (var tp in all.Where(tp => !owner.ContainsKey(tp)))
        {
            var taker = sorted.Where(m => subscribed[m.MemberId].Contains(tp.Topic)).MinBy(m => assigned[m.MemberId].Count);
            if (taker is not null)
            {
                assigned[taker.MemberId].Add(tp);
            }
        }

        Balance(sorted, assigned, subscribed, owner);

        // Partitions that change hands (or that several members claim) wait for the next generation.
        var result = new Dictionary<string, IReadOnlyList<TopicPartition>>();
        foreach (var m in sorted)
        {
            result[m.MemberId] = assigned[m.MemberId]
                .Where(tp => !contested.Contains(tp) && (!owner.TryGetValue(tp, out var o) || o == m.MemberId))
                .ToList();
        }
        return result;
    }

    /// <summary>
    /// Who owns each partition now: the member claiming it from the newest generation. Partitions
    /// two members claim from the same newest generation are contested: neither keeps them.
    /// </summary>
    private static (Dictionary<TopicPartition, string> Owner, HashSet<TopicPartition> Contested) ValidOwners(
        IReadOnlyList<AssignorMember> members, HashSet<TopicPartition> existing)
    {
        var best = new Dictionary<TopicPartition, (string Member, int Generation)>();
        var contested = new HashSet<TopicPartition>();
        foreach (var m in members)
        {
            var generation = m.Subscription.GenerationId;
            foreach (var tp in m.Subscription.Owned)
            {
                if (!existing.Contains(tp) || !m.Subscription.Topics.Contains(tp.Topic))
                {
                    continue;
                }
                if (!best.TryGetValue(tp, out var current) || generation > current.Generation)
                {
                    best[tp] = (m.MemberId, generation);
                    contested.Remove(tp);
                }
                else if (generation == current.Generation && current.Member != m.MemberId)
                {
                    contested.Add(tp);
                }
            }
        }
        var owner = best.Where(kv => !contested.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.Member);
        return (owner, contested);
    }

    private static void Balance(
        IReadOnlyList<AssignorMember> members,
        Dictionary<string, SortedSet<TopicPartition>> assigned,
        Dictionary<string, HashSet<string>> subscribed,
        Dictionary<TopicPartition, string> owner)
    {
        bool moved;
        do
        {
            moved = false;
            foreach (var from in members.OrderByDescending(m => assigned[m.MemberId].Count))
            {
                var held = assigned[from.MemberId];
                // Partitions the member did not own before move first, so that owned ones stay put.
                var candidates = held.Reverse().OrderBy(tp => owner.TryGetValue(tp, out var o) && o == from.MemberId ? 1 : 0);
                foreach (var tp in candidates)
                {
                    var to = members
                        .Where(m => m.MemberId != from.MemberId && subscribed[m.MemberId].Contains(tp.Topic) && assigned[m.MemberId].Count + 1 < held.Count)
                        .MinBy(m => assigned[m.MemberId].Count);
                    if (to is not null)
                    {
                        held.Remove(tp);
                        assigned[to.MemberId].Add(tp);
                        moved = true;
                        break;
                    }
                }
                if (moved)
                {
                    break;
                }
            }
        }
        while (moved);
    }
}
