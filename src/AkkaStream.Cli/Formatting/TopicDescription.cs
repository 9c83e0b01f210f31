using System.Globalization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// The text of <c>topics describe</c>, laid out as Kafka's <c>kafka-topics --describe</c>: one
/// tab-separated line for the topic with the settings it overrides, then one per partition; and
/// the lines of <c>topics reassignments</c>, one per partition being reassigned. Pure.
/// </summary>
public static class TopicDescription
{
    public static IEnumerable<string> Lines(TopicMetadata topic, IReadOnlyList<ConfigEntry> configs)
    {
        var replicationFactor = topic.Partitions.Count == 0 ? 0 : topic.Partitions.Max(p => p.Replicas.Count);
        var overrides = string.Join(',', configs.Where(c => !c.IsDefault).OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name}={c.Value}"));
        yield return $"Topic: {topic.Name}\tTopicId: {topic.TopicId}\tPartitionCount: {Number(topic.Partitions.Count)}\tReplicationFactor: {Number(replicationFactor)}\tConfigs: {overrides}";
        foreach (var p in topic.Partitions.OrderBy(p => p.Partition))
        {
            var leader = p.Leader < 0 ? "none" : Number(p.Leader);
            var error = p.Error == Records.Errors.ErrorCode.None ? "" : $"\tError: {p.Error}";
            yield return $"\tTopic: {topic.Name}\tPartition: {Number(p.Partition)}\tLeader: {leader}\tLeaderEpoch: {Number(p.LeaderEpoch)}\tReplicas: {Ids(p.Replicas)}\tIsr: {Ids(p.Isr)}{error}";
        }
    }

    /// <summary>One partition being reassigned: its replicas now, those still catching up and those to be removed.</summary>
    public static string Line(OngoingReassignment r) =>
        $"Topic: {r.Topic}\tPartition: {Number(r.Partition)}\tReplicas: {Ids(r.Replicas)}\tAdding: {Ids(r.AddingReplicas)}\tRemoving: {Ids(r.RemovingReplicas)}";

    private static string Ids(IReadOnlyList<int> ids) => string.Join(',', ids.Select(Number));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
