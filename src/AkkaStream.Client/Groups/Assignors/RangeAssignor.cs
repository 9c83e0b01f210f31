using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Assignors;

/// <summary>
/// Kafka's "range" assignor: topic by topic, the members subscribed to it (in
/// <see cref="AssignorMember.Order"/>) get consecutive ranges of its partitions, the first
/// <c>partitions % members</c> of them one more than the rest.
/// </summary>
public sealed class RangeAssignor : IPartitionAssignor
{
    public const string AssignorName = "range";

    public string Name => AssignorName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        var result = members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>());
        var sorted = members.Order(AssignorMember.Order).ToList();
        var topics = members.SelectMany(m => m.Subscription.Topics).Distinct().Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!partitionsPerTopic.TryGetValue(topic, out var count))
            {
                continue;
            }
            var subscribers = sorted.Where(m => m.Subscription.Topics.Contains(topic)).ToList();
            var each = count / subscribers.Count;
            var extra = count % subscribers.Count;
            for (var i = 0; i < subscribers.Count; i++)
            {
                var start = each * i + Math.Min(i, extra);
                var length = each + (i < extra ? 1 : 0);
                for (var p = start; p < start + length; p++)
                {
                    result[subscribers[i].MemberId].Add(new TopicPartition(topic, p));
                }
            }
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TopicPartition>)kv.Value);
    }
}
