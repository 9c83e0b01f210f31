using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

/// <summary>Partitions by topic name (ordinal), then partition number: the order Kafka's assignors and the protocol's arrays use.</summary>
internal sealed class TopicPartitionOrder : IComparer<TopicPartition>
{
    public static readonly TopicPartitionOrder Instance = new();

    public int Compare(TopicPartition x, TopicPartition y)
    {
        var byTopic = string.CompareOrdinal(x.Topic, y.Topic);
        return byTopic != 0 ? byTopic : x.Partition.CompareTo(y.Partition);
    }
}
