using System.Globalization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// Where partition reassignments stand, from the metadata and the controller's list of ongoing
/// reassignments: a partition is <c>done</c> once it is on its target replicas alone,
/// <c>catching-up</c> while a new replica is outside the ISR, <c>completing</c> while every new
/// replica is in sync but the old ones are not yet removed. Immutable.
/// </summary>
public sealed record ReassignmentProgress(IReadOnlyList<ReassignmentProgress.Move> Moves)
{
    /// <param name="Ongoing">The controller's entry for the partition; null once none is left.</param>
    public sealed record Move(string Topic, PartitionMetadata Partition, IReadOnlyList<int> Target, OngoingReassignment? Ongoing)
    {
        public string Status =>
            Ongoing is null && Partition.Replicas.Order().SequenceEqual(Target.Order()) ? "done"
            : Ongoing is not null && Ongoing.AddingReplicas.Any(r => !Partition.Isr.Contains(r)) ? "catching-up"
            : "completing";

        /// <summary>The new replicas still outside the ISR.</summary>
        public IEnumerable<int> Behind => Ongoing?.AddingReplicas.Where(r => !Partition.Isr.Contains(r)) ?? [];
    }

    public bool IsDone => Moves.All(m => m.Status == "done");

    /// <summary>e.g. <c>reassignment: 0/1 partitions done, 1 catching up, 0 completing; orders-0 waits for [3] to catch up</c>.</summary>
    public string Line()
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"reassignment: {Count("done")}/{Moves.Count} partitions done, {Count("catching-up")} catching up, {Count("completing")} completing");
        var behind = Moves.Where(m => m.Status == "catching-up").Select(m => $"{m.Topic}-{m.Partition.Partition} waits for [{string.Join(',', m.Behind)}] to catch up");
        var details = string.Join(", ", behind);
        return details.Length == 0 ? line : line + "; " + details;
    }

    /// <summary>One row per partition: where it is now and its status.</summary>
    public IEnumerable<string> Table() => TextTable.Lines(["TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "STATUS"],
        Moves.Select(m => (IReadOnlyList<string>)
        [
            m.Topic, m.Partition.Partition.ToString(CultureInfo.InvariantCulture), m.Partition.Leader.ToString(CultureInfo.InvariantCulture),
            string.Join(',', m.Partition.Replicas), string.Join(',', m.Partition.Isr), m.Status,
        ]));

    private int Count(string status) => Moves.Count(m => m.Status == status);
}
