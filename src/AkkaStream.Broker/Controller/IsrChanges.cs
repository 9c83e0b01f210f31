using AkkaStream.Broker.Metadata;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// Decides a leader's request to change its partition's ISR (Kafka's AlterPartition): accepted
/// only from the current leader in its current epoch, so that a leader cut off from the cluster,
/// or one already replaced, can never shrink the ISR to itself and go on acknowledging writes
/// alone, and never adding a broker the controller holds for lost. Also decides the controller's
/// own ISR changes: a lost broker leaves every ISR it was in at once, as Kafka fences a broker.
/// Pure: the controller persists what it returns. Thread-safe (stateless).
/// </summary>
public static class IsrChanges
{
    /// <summary>The event that records the new ISR, or null when the ISR already is <paramref name="request"/>'s.</summary>
    /// <param name="live">The brokers the controller counts as live: only these may join the ISR.</param>
    /// <exception cref="AkkaStreamException">
    /// <c>UnknownTopicOrPartition</c>; <c>FencedLeaderEpoch</c> from a stale leader; <c>InvalidRequest</c>
    /// for an ISR without its leader or with a broker that holds no replica; <c>IneligibleReplica</c>
    /// for one that adds a broker which is not live (the leader had not yet heard that it was lost).
    /// </exception>
    public static LeaderChanged? Decide(ControllerActor.AlterIsr request, ControllerState state, IReadOnlySet<int> live)
    {
        var partition = Current(request.Topic, request.Partition, state);
        if (partition.LeaderEpoch != request.LeaderEpoch || partition.Leader != request.Leader)
        {
            throw new AkkaStreamException(ErrorCode.FencedLeaderEpoch,
                $"{request.Topic}-{request.Partition} is led by broker {partition.Leader} in epoch {partition.LeaderEpoch}; " +
                $"broker {request.Leader} in epoch {request.LeaderEpoch} may not change its ISR");
        }
        if (!request.Isr.Contains(request.Leader) || request.Isr.Any(b => !partition.Replicas.Contains(b)) || request.Isr.Distinct().Count() != request.Isr.Length)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRequest,
                $"ISR [{string.Join(",", request.Isr)}] must hold the leader and only replicas of [{string.Join(",", partition.Replicas)}], once each");
        }
        var lost = request.Isr.Where(b => !partition.Isr.Contains(b) && !live.Contains(b)).ToArray();
        if (lost.Length > 0)
        {
            throw new AkkaStreamException(ErrorCode.IneligibleReplica,
                $"broker {string.Join(",", lost)} is not live and cannot join the ISR [{string.Join(",", partition.Isr)}] of {request.Topic}-{request.Partition}");
        }
        if (partition.Isr.Count == request.Isr.Length && partition.Isr.All(request.Isr.Contains))
        {
            return null;
        }
        // Replica order, so that the ISR reads the same whatever order followers joined in.
        int[] isr = [.. partition.Replicas.Where(request.Isr.Contains)];
        return new LeaderChanged(request.Topic, partition with { Isr = isr });
    }

    /// <summary>
    /// The partition without the <paramref name="lost"/> brokers in its ISR, when its leader is
    /// live; null when nothing changes. Leader and epoch stay: the leader adopts the smaller ISR
    /// from the metadata, and until it does it counts the lost brokers, which only holds its high
    /// watermark back. Without this, a lost follower would hold every acks=all write until the
    /// leader's own lag check removed it, which needs new records and <c>replica.lag.time.max.ms</c>.
    /// </summary>
    /// <param name="lost">Brokers that are not live and that the controller counts as gone (see the controller).</param>
    public static PartitionState? WithoutLostReplicas(PartitionState partition, IReadOnlySet<int> live, IReadOnlySet<int> lost)
    {
        if (partition.Leader == LeaderElection.NoLeader || !live.Contains(partition.Leader))
        {
            return null;
        }
        int[] isr = [.. partition.Isr.Where(b => b == partition.Leader || !lost.Contains(b))];
        return isr.Length == partition.Isr.Count ? null : partition with { Isr = isr };
    }

    /// <summary>The partition as the controller has it, for the answer to a refused request; null when there is none.</summary>
    public static PartitionState? Find(string topic, int partition, ControllerState state) =>
        state.Topics.TryGetValue(topic, out var t) && partition >= 0 && partition < t.Partitions.Count ? t.Partitions[partition] : null;

    private static PartitionState Current(string topic, int partition, ControllerState state) =>
        Find(topic, partition, state) ?? throw new AkkaStreamException(ErrorCode.UnknownTopicOrPartition, $"{topic}-{partition} does not exist");
}
