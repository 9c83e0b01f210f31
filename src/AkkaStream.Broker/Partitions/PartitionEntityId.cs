using System.Globalization;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// A partition leader entity's id, which is also its shard id: <c>&lt;topic&gt;-&lt;partition&gt;#e&lt;epoch&gt;@b&lt;broker&gt;</c>.
/// Each leader epoch is a new shard, placed at once on the broker its id names. Topic names never
/// hold '#' or '@', so the id parses from the right without ambiguity.
/// </summary>
public readonly record struct PartitionEntityId(TopicPartition Partition, int Epoch, int Broker)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Partition.Topic}-{Partition.Partition}#e{Epoch}@b{Broker}");

    public static bool TryParse(string? id, out PartitionEntityId result)
    {
        result = default;
        if (id is null) return false;
        var at = id.LastIndexOf("@b", StringComparison.Ordinal);
        var hash = at < 0 ? -1 : id.LastIndexOf("#e", at, StringComparison.Ordinal);
        var dash = hash < 0 ? -1 : id.LastIndexOf('-', hash);
        if (dash <= 0
            || !int.TryParse(id.AsSpan(dash + 1, hash - dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !int.TryParse(id.AsSpan(hash + 2, at - hash - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            || !int.TryParse(id.AsSpan(at + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var broker))
        {
            return false;
        }
        result = new PartitionEntityId(new TopicPartition(id[..dash], partition), epoch, broker);
        return true;
    }

    /// <summary>Reads the broker id from a shard id; null when it is not a partition entity's.</summary>
    public static int? BrokerOf(string shardId) => TryParse(shardId, out var id) ? id.Broker : null;
}
