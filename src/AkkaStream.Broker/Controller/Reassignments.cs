using AkkaStream.Broker.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// Decides partition reassignments (Kafka's AlterPartitionReassignments). A reassignment first
/// adds the target replicas to the current ones, so that their brokers start following; once
/// every target replica is in the ISR it ends on the target alone, led by the current leader when
/// it is a target replica and by the first live target replica otherwise. Both steps take the next
/// leader epoch: the leader's view of its followers is built per epoch, and a leader of the old
/// epoch must stop counting removed replicas towards its high watermark. A cancel ends it on the
/// replicas the partition had before (Kafka's AlterPartitionReassignments with no replicas).
/// Pure: the controller persists what it returns. Thread-safe (stateless).
/// </summary>
public static class Reassignments
{
    /// <summary>The event that starts the reassignment, or null when the partition already is (or is moving) there.</summary>
    /// <exception cref="AkkaStreamException">
    /// <c>UnknownTopicOrPartition</c>; <c>InvalidReplicaAssignment</c> for an empty target, one that names
    /// a broker twice, or one with a broker that is not live.
    /// </exception>
    public static ReassignmentStarted? Start(AlterPartitionReassignmentsRequest request, ControllerState state, IReadOnlySet<int> live)
    {
        var partition = Find(request, state);
        var target = request.Replicas ?? throw new ArgumentException("a cancel has no target replicas", nameof(request));
        if (target.Count == 0 || target.Distinct().Count() != target.Count)
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment,
                $"the target replicas [{string.Join(",", target)}] must name at least one broker, each once");
        }
        var notLive = target.Where(b => !live.Contains(b)).ToArray();
        if (notLive.Length > 0)
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment,
                $"brokers [{string.Join(",", notLive)}] are not live; the live brokers are [{string.Join(",", live.Order())}]");
        }
        var key = new TopicPartition(request.Topic, request.Partition);
        var moving = state.Reassignments.TryGetValue(key, out var current);
        if (moving ? current!.SequenceEqual(target) : partition.Replicas.SequenceEqual(target))
        {
            return null;
        }
        // Target first, so that the target's first replica is the preferred leader from now on.
        int[] replicas = [.. target.Union(partition.Replicas)];
        return new ReassignmentStarted(request.Topic, partition with { Replicas = replicas, LeaderEpoch = partition.LeaderEpoch + 1 }, [.. target]);
    }

    /// <summary>
    /// The event that cancels the partition's reassignment: the partition on its original replicas,
    /// with the ISR less the replicas the reassignment added (their logs are deleted, and nothing
    /// only they hold was committed), led by its leader when that is an original replica and
    /// otherwise by the first live original replica in sync, in the next epoch.
    /// </summary>
    /// <exception cref="AkkaStreamException">
    /// <c>UnknownTopicOrPartition</c>; <c>NoReassignmentInProgress</c>; <c>InvalidReplicaAssignment</c> when
    /// no original replica is live and in sync (cancelling would lose committed records: let the
    /// reassignment finish) or the original replicas are unknown (a reassignment recovered from a
    /// snapshot older than cancelling).
    /// </exception>
    public static ReassignmentCancelled Cancel(AlterPartitionReassignmentsRequest request, ControllerState state, IReadOnlySet<int> live)
    {
        var partition = Find(request, state);
        var key = new TopicPartition(request.Topic, request.Partition);
        if (!state.Reassignments.ContainsKey(key))
        {
            throw new AkkaStreamException(ErrorCode.NoReassignmentInProgress, $"{key} is not being reassigned");
        }
        if (!state.OriginalReplicas.TryGetValue(key, out var original))
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment,
                $"the replicas {key} had before its reassignment are not known (it started before this version); give it a target instead");
        }
        var isr = partition.Isr.Where(original.Contains).ToArray();
        var leader = original.Contains(partition.Leader) && isr.Contains(partition.Leader)
            ? partition.Leader
            : isr.FirstOrDefault(live.Contains, LeaderElection.NoLeader);
        if (leader == LeaderElection.NoLeader)
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment,
                $"none of the original replicas [{string.Join(",", original)}] of {key} is live and in sync (ISR [{string.Join(",", partition.Isr)}]); cancelling would lose committed records");
        }
        return new ReassignmentCancelled(request.Topic,
            partition with { Replicas = [.. original], Leader = leader, LeaderEpoch = partition.LeaderEpoch + 1, Isr = isr });
    }

    private static PartitionState Find(AlterPartitionReassignmentsRequest request, ControllerState state) =>
        IsrChanges.Find(request.Topic, request.Partition, state)
            ?? throw new AkkaStreamException(ErrorCode.UnknownTopicOrPartition, $"{request.Topic}-{request.Partition} does not exist");

    /// <summary>The reassignments whose target replicas are all in sync, each ended on its target alone.</summary>
    public static IReadOnlyList<ReassignmentCompleted> Completions(ControllerState state, IReadOnlySet<int> live)
    {
        var done = new List<ReassignmentCompleted>();
        foreach (var (key, target) in state.Reassignments)
        {
            if (IsrChanges.Find(key.Topic, key.Partition, state) is not { } partition || !target.All(partition.Isr.Contains))
            {
                continue;
            }
            var leader = target.Contains(partition.Leader) ? partition.Leader : target.FirstOrDefault(live.Contains, LeaderElection.NoLeader);
            if (leader == LeaderElection.NoLeader)
            {
                continue; // no target replica can lead yet: wait for one to come back
            }
            done.Add(new ReassignmentCompleted(key.Topic,
                partition with { Replicas = [.. target], Leader = leader, LeaderEpoch = partition.LeaderEpoch + 1, Isr = [.. target] }));
        }
        return done;
    }

    /// <summary>The reassignments in progress of <paramref name="request"/>'s topics (every topic when it names none).</summary>
    public static ListPartitionReassignmentsResponse List(ListPartitionReassignmentsRequest request, ControllerState state)
    {
        var unknown = request.Topics?.FirstOrDefault(t => !state.Topics.ContainsKey(t));
        if (unknown is not null)
        {
            return new ListPartitionReassignmentsResponse(ErrorCode.UnknownTopicOrPartition, $"topic '{unknown}' does not exist", []);
        }
        var ongoing = new List<OngoingReassignment>();
        foreach (var (key, target) in state.Reassignments.OrderBy(kv => kv.Key.Topic, StringComparer.Ordinal).ThenBy(kv => kv.Key.Partition))
        {
            if (request.Topics is { } topics && !topics.Contains(key.Topic)) continue;
            var partition = state.Topics[key.Topic].Partitions[key.Partition];
            // Plain arrays: a client never loads this assembly's collection types.
            ongoing.Add(new OngoingReassignment(key.Topic, key.Partition, partition.Replicas.ToArray(),
                target.Where(b => !partition.Isr.Contains(b)).ToArray(), partition.Replicas.Where(b => !target.Contains(b)).ToArray()));
        }
        return new ListPartitionReassignmentsResponse(ErrorCode.None, null, ongoing);
    }
}
