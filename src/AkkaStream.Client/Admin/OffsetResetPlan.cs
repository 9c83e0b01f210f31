using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Admin;

/// <summary>One partition of a reset: the offset the group had committed (null when none) and the one it gets.</summary>
public sealed record PlannedOffset(TopicPartition Partition, long? CurrentOffset, long NewOffset);

/// <summary>
/// Works out the new committed offset of each partition for an <see cref="OffsetResetTarget"/>, from
/// what is known of the partition: its log start and end, the group's committed offset and (for a
/// time) the offset the leader found for it. Every result lies within the log, as Kafka's tool clamps
/// an offset outside it. Pure.
/// </summary>
public static class OffsetResetPlan
{
    /// <summary>What one partition looks like when the plan is made.</summary>
    public readonly record struct PartitionState(long? Committed, long LogStart, long LogEnd, long OffsetForTime);

    public static long NewOffset(OffsetResetTarget target, PartitionState state)
    {
        var wanted = target switch
        {
            OffsetResetTarget.Earliest => state.LogStart,
            OffsetResetTarget.Latest => state.LogEnd,
            OffsetResetTarget.ToOffset to => to.Offset,
            // No record that recent: the log end, as Kafka's tool does.
            OffsetResetTarget.ToTimestamp => state.OffsetForTime < 0 ? state.LogEnd : state.OffsetForTime,
            // A partition the group never committed shifts from where such a consumer would start by
            // default (latest), so that a shift never silently re-reads a whole log.
            OffsetResetTarget.ShiftBy shift => Shift(state.Committed ?? state.LogEnd, shift.Delta),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown reset target"),
        };
        return Math.Clamp(wanted, state.LogStart, Math.Max(state.LogStart, state.LogEnd));
    }

    /// <summary>The committed offsets of <paramref name="offsets"/> by partition; partitions with nothing committed are left out.</summary>
    public static Dictionary<TopicPartition, long> Committed(IEnumerable<CommittedOffset> offsets)
    {
        var result = new Dictionary<TopicPartition, long>();
        foreach (var o in offsets)
        {
            if (o.Offset >= 0) result[new TopicPartition(o.Topic, o.Partition)] = o.Offset;
        }
        return result;
    }

    private static long Shift(long from, long delta) =>
        delta > 0 && from > long.MaxValue - delta ? long.MaxValue : delta < 0 && from < long.MinValue - delta ? long.MinValue : from + delta;
}
