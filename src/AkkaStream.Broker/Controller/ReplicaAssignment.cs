namespace AkkaStream.Broker.Controller;

/// <summary>
/// Spreads replicas and leaders evenly over brokers, as Kafka's assignment does: partition p's
/// replicas are the brokers following p (round-robin) from a start that differs per topic, so
/// that the first partitions of many topics do not all land on the same broker. Thread-safe (stateless).
/// </summary>
public static class ReplicaAssignment
{
    /// <summary>The replicas (leader first) of partitions <paramref name="firstPartition"/> … +count-1.</summary>
    public static int[][] Assign(IReadOnlyList<int> brokers, int firstPartition, int count, int replicationFactor, int start)
    {
        var sorted = brokers.Order().ToArray();
        var result = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var p = firstPartition + i;
            var replicas = new int[replicationFactor];
            for (var k = 0; k < replicationFactor; k++)
            {
                replicas[k] = sorted[(start + p + k) % sorted.Length];
            }
            result[i] = replicas;
        }
        return result;
    }

    /// <summary>A stable start position for a topic name (string hashes differ between processes).</summary>
    public static int StartFor(string topic, int brokerCount)
    {
        uint hash = 2166136261;
        foreach (var c in topic)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash % (uint)Math.Max(1, brokerCount));
    }
}
