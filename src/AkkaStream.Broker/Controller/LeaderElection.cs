using AkkaStream.Broker.Metadata;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// Decides leaders after broker liveness changed: a partition whose leader is not live gets the
/// next live in-sync replica with the next epoch, or goes offline (leader -1, next epoch) when
/// there is none; an offline partition gets a returning in-sync replica (next epoch). The ISR
/// never becomes empty: like Kafka, it keeps the last leader so that it can be elected when it
/// returns. Thread-safe (stateless).
/// </summary>
public static class LeaderElection
{
    public const int NoLeader = -1;

    /// <summary>The partition's new state, or null when nothing changes.</summary>
    public static PartitionState? Elect(PartitionState partition, IReadOnlySet<int> live, bool uncleanAllowed)
    {
        if (partition.Leader != NoLeader && live.Contains(partition.Leader))
        {
            return null;
        }
        var candidate = partition.Isr.FirstOrDefault(b => b != partition.Leader && live.Contains(b), NoLeader);
        if (candidate == NoLeader && partition.Leader == NoLeader)
        {
            candidate = partition.Isr.FirstOrDefault(live.Contains, NoLeader);
        }
        if (candidate == NoLeader && uncleanAllowed)
        {
            candidate = partition.Replicas.FirstOrDefault(live.Contains, NoLeader);
        }
        if (candidate == NoLeader && partition.Leader == NoLeader)
        {
            return null; // still offline
        }
        var isr = partition.Isr.Where(live.Contains).ToList();
        if (candidate != NoLeader && !isr.Contains(candidate))
        {
            isr.Add(candidate);
        }
        if (isr.Count == 0)
        {
            isr.Add(partition.Leader != NoLeader ? partition.Leader : partition.Isr.FirstOrDefault(partition.Replicas[0]));
        }
        return partition with { Leader = candidate, LeaderEpoch = partition.LeaderEpoch + 1, Isr = isr };
    }

    /// <summary>
    /// The partition led by its preferred replica (the first assigned) with the next epoch, when
    /// that replica is live, in sync and not leading; null otherwise. Leaders and replicas are
    /// assigned round-robin, so preferred leaders spread leadership evenly; after failures this
    /// moves it back (Kafka's preferred replica election). The ISR is kept: only the leader moves.
    /// </summary>
    public static PartitionState? Preferred(PartitionState partition, IReadOnlySet<int> live)
    {
        var preferred = partition.Replicas[0];
        if (partition.Leader == preferred || !live.Contains(preferred) || !partition.Isr.Contains(preferred))
        {
            return null;
        }
        return partition with { Leader = preferred, LeaderEpoch = partition.LeaderEpoch + 1 };
    }
}
