namespace AkkaStream.Records.Ids;

/// <summary>One partition of one topic: the unit of ordering, storage and replication. Ordered by topic (ordinal), then partition.</summary>
public readonly record struct TopicPartition(string Topic, int Partition) : IComparable<TopicPartition>
{
    /// <summary>The partition's directory name, as Kafka spells it: <c>&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public string DirectoryName => $"{Topic}-{Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public int CompareTo(TopicPartition other)
    {
        var byTopic = string.CompareOrdinal(Topic, other.Topic);
        return byTopic != 0 ? byTopic : Partition.CompareTo(other.Partition);
    }

    public override string ToString() => DirectoryName;
}
