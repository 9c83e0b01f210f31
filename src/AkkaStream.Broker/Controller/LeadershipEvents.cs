using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Metadata;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// The event line of one controller decision about a partition's leadership (docs/LOGS.md):
/// <c>leader-elected</c> (Warning when the new leader was not in the ISR: an unclean election that
/// may lose acknowledged records), <c>partition-offline</c> (Warning: no leader left), or, when the
/// decision kept the leader and epoch, <c>isr-shrunk</c> (lost brokers left the ISR) or
/// <c>replicas-changed</c> (a reassignment changed the replicas). Thread-safe (stateless).
/// </summary>
public static class LeadershipEvents
{
    public const string BrokerLost = "broker-lost";
    public const string ReplicaReturned = "replica-returned";
    public const string PreferredLeader = "preferred-leader";
    public const string Reassignment = "reassignment";
    public const string ReassignmentCancelled = "reassignment-cancelled";

    /// <param name="before">The partition before the decision; null when it is new.</param>
    /// <param name="reason">Why the controller decided (one of the constants here).</param>
    public static EventLine Describe(string topic, PartitionState? before, PartitionState after, string reason)
    {
        var previous = before?.Leader ?? LeaderElection.NoLeader;
        EventLine line;
        if (after.Leader == LeaderElection.NoLeader)
        {
            line = EventLine.Warning("partition-offline");
        }
        else if (before is not null && previous == after.Leader && before.LeaderEpoch == after.LeaderEpoch)
        {
            if (before.Replicas.SequenceEqual(after.Replicas) && after.Isr.Count < before.Isr.Count)
            {
                // The same fields as the leader's own isr-shrunk line, less the lag it alone knows.
                return EventLine.Info("isr-shrunk").Partition(topic, after.Partition).Epoch(after.LeaderEpoch)
                    .With("replicas", before.Isr.Except(after.Isr)).With("previous-isr", before.Isr)
                    .With("isr", after.Isr).With("reason", reason);
            }
            line = EventLine.Info("replicas-changed");
        }
        else if (before is not null && !before.Isr.Contains(after.Leader))
        {
            line = EventLine.Warning("leader-elected");
            reason = "unclean";
        }
        else
        {
            line = EventLine.Info("leader-elected");
        }
        return line.Partition(topic, after.Partition).Epoch(after.LeaderEpoch)
            .With("leader", after.Leader).With("previous-leader", previous)
            .With("isr", after.Isr).With("replicas", after.Replicas).With("reason", reason);
    }
}
