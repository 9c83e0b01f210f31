using System.Globalization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// Where a preferred-leader election stands, from the metadata: a partition is <c>preferred</c> once
/// its first assigned replica leads, <c>moving</c> while that replica is live and in the ISR but
/// does not lead yet, and <c>not-eligible</c> when it is not live or outside the ISR (the
/// controller moves no leadership to it). Done when nothing is moving. Immutable.
/// </summary>
/// <param name="Live">The brokers the cluster counts as live.</param>
public sealed record ElectionProgress(IReadOnlyList<(string Topic, PartitionMetadata Partition)> Partitions, IReadOnlySet<int> Live)
{
    public bool IsDone => Partitions.All(p => Status(p.Partition) != "moving");

    /// <summary>e.g. <c>preferred-leader election: 2/3 partitions on their preferred leader, 1 moving, 0 not eligible</c>.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"preferred-leader election: {Count("preferred")}/{Partitions.Count} partitions on their preferred leader, {Count("moving")} moving, {Count("not-eligible")} not eligible");

    public IEnumerable<string> Table() => TextTable.Lines(["TOPIC", "PARTITION", "LEADER", "PREFERRED", "ISR", "STATUS"],
        Partitions.Select(p => (IReadOnlyList<string>)
        [
            p.Topic, p.Partition.Partition.ToString(CultureInfo.InvariantCulture), p.Partition.Leader.ToString(CultureInfo.InvariantCulture),
            Preferred(p.Partition).ToString(CultureInfo.InvariantCulture), string.Join(',', p.Partition.Isr), Status(p.Partition),
        ]));

    private static int Preferred(PartitionMetadata partition) => partition.Replicas.Count == 0 ? -1 : partition.Replicas[0];

    private string Status(PartitionMetadata partition) =>
        partition.Leader == Preferred(partition) ? "preferred"
        : partition.Isr.Contains(Preferred(partition)) && Live.Contains(Preferred(partition)) ? "moving"
        : "not-eligible";

    private int Count(string status) => Partitions.Count(p => Status(p.Partition) == status);
}
