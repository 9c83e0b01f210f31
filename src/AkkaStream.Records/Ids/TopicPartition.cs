namespace AkkaStream.Records.Ids;

/// <summary>One partition of one topic: the unit of ordering, storage and replication.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    /// <summary>The partition's directory name, as Kafka spells it: <c>&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public string DirectoryName => $"{Topic}-{Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public override string ToString() => DirectoryName;
}
