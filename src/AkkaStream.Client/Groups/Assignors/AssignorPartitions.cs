using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Assignors;

internal static class AssignorPartitions
{
    /// <summary>Every partition of every topic some member subscribes to and that exists, in topic then partition order.</summary>
    public static IEnumerable<TopicPartition> AllSubscribed(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        var topics = members.SelectMany(m => m.Subscription.Topics).Distinct().Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (partitionsPerTopic.TryGetValue(topic, out var count))
            {
                for (var p = 0; p < count; p++)
                {
                    yield return new TopicPartition(topic, p);
                }
            }
        }
    }
}
