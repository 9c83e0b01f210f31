using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Assignors;

/// <summary>
/// Kafka's "roundrobin" assignor: every partition of every subscribed topic, in topic then
/// partition order, goes to the next member in <see cref="AssignorMember.Order"/> (circularly)
/// that is subscribed to its topic.
/// </summary>
public sealed class RoundRobinAssignor : IPartitionAssignor
{
    public const string AssignorName = "roundrobin";

    public string Name => AssignorName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        var result = members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>());
        var sorted = members.Order(AssignorMember.Order).ToList();
        var next = 0;
        foreach (var tp in AssignorPartitions.AllSubscribed(partitionsPerTopic, members))
        {
            while (!sorted[next % sorted.Count].Subscription.Topics.Contains(tp.Topic))
            {
                next++;
            }
            result[sorted[next % sorted.Count].MemberId].Add(tp);
            next++;
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TopicPartition>)kv.Value);
    }
}
