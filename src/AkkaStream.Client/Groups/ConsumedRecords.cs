using AkkaStream.Client.Consumer;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

/// <summary>
/// The group consumer's side of the records: which partitions are being fetched now (each with the
/// fetch round it was assigned in), the records the fetcher handed over but poll has not returned
/// yet, and the consumed position of each partition (the offset after the last record poll
/// returned) that commits use. Records of a partition given up or assigned anew after they were
/// asked for are dropped: they belong to an older assignment. Owned by the group consumer actor.
/// </summary>
internal sealed class ConsumedRecords
{
    private readonly Dictionary<TopicPartition, int> _activeSince = [];
    private readonly List<ConsumeRecord> _pending = [];
    private readonly Dictionary<TopicPartition, long> _consumed = [];
    private int _round;

    /// <summary>Counts the fetcher's assignments; a poll of the fetcher remembers the round it was sent in.</summary>
    public int Round => _round;

    public IReadOnlyCollection<TopicPartition> Active => _activeSince.Keys;

    public IReadOnlyDictionary<TopicPartition, long> Consumed => _consumed;

    public bool HasPending => _pending.Count > 0;

    /// <summary>Starts fetching <paramref name="partitions"/> in a new round (those already fetched keep their round).</summary>
    public void Activate(IEnumerable<TopicPartition> partitions)
    {
        _round++;
        foreach (var tp in partitions)
        {
            _activeSince.TryAdd(tp, _round);
        }
    }

    /// <summary>Stops returning records of <paramref name="partitions"/> (their consumed positions stay until <see cref="Forget"/>).</summary>
    public void Deactivate(IReadOnlyCollection<TopicPartition> partitions)
    {
        _round++;
        foreach (var tp in partitions)
        {
            _activeSince.Remove(tp);
        }
        _pending.RemoveAll(r => partitions.Contains(r.TopicPartition));
    }

    /// <summary>Drops the consumed positions of partitions given up.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            _consumed.Remove(tp);
        }
    }

    /// <summary>Takes what the fetcher returned to a poll sent in <paramref name="askedInRound"/>.</summary>
    public void Accept(IReadOnlyList<ConsumeRecord> records, int askedInRound)
    {
        foreach (var record in records)
        {
            if (_activeSince.TryGetValue(record.TopicPartition, out var since) && since <= askedInRound)
            {
                _pending.Add(record);
            }
        }
    }

    /// <summary>Returns up to <paramref name="max"/> records and moves the consumed positions past them.</summary>
    public IReadOnlyList<ConsumeRecord> Take(int max)
    {
        var count = Math.Min(max, _pending.Count);
        var taken = _pending.GetRange(0, count);
        _pending.RemoveRange(0, count);
        foreach (var record in taken)
        {
            _consumed[record.TopicPartition] = record.Offset + 1;
        }
        return taken;
    }
}
