using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

/// <summary>A group's committed offsets, one per partition. Not thread-safe: one entity owns it.</summary>
public sealed class GroupOffsets
{
    private readonly Dictionary<(string Topic, int Partition), StoredOffset> _offsets = new();

    public int Count => _offsets.Count;

    public IEnumerable<StoredOffset> All => _offsets.Values;

    public StoredOffset? Get(string topic, int partition) => _offsets.GetValueOrDefault((topic, partition));

    public void Apply(OffsetsCommitted committed)
    {
        foreach (var o in committed.Offsets) _offsets[(o.Topic, o.Partition)] = o;
    }

    public void Apply(OffsetsRemoved removed)
    {
        foreach (var p in removed.Partitions) _offsets.Remove((p.Topic, p.Partition));
    }

    public void Clear() => _offsets.Clear();

    /// <summary>The partitions whose offsets <paramref name="expired"/> says are to go, in a stable order.</summary>
    public List<TopicPartitionRef> Where(Func<StoredOffset, bool> expired)
    {
        var result = new List<TopicPartitionRef>();
        foreach (var o in _offsets.Values)
        {
            if (expired(o)) result.Add(new TopicPartitionRef(o.Topic, o.Partition));
        }
        result.Sort((a, b) => a.Topic != b.Topic ? string.CompareOrdinal(a.Topic, b.Topic) : a.Partition.CompareTo(b.Partition));
        return result;
    }
}
