using AkkaStream.Client.Consumer;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

/// <summary>
/// The group consumer's side of the records: which partitions are being fetched now (each with the
/// fetch round it was activated in and the next offset expected from it), the records the fetcher
/// handed over but poll has not returned yet, and the consumed position of each partition (the
/// offset after the last record poll returned) that commits use. Owned by the group consumer actor.
/// <para>
/// A poll of the fetcher may be answered after the assignment changed: a partition activated since
/// the poll was sent may come with records of an older assignment of it. Those are dropped, and
/// the fetcher must then be moved back to the partition's expected offset (see
/// <see cref="Accept"/>), since it has handed them out and moved past them; otherwise they would
/// be a gap. Records below the expected offset are ones already taken, and are dropped too.
/// </para>
/// </summary>
internal sealed class ConsumedRecords
{
    private sealed class Active(int since, long? next)
    {
        public int Since { get; } = since;

        /// <summary>The next offset expected from the fetcher; null until the first record when it starts by auto-offset-reset.</summary>
        public long? Next { get; set; } = next;
    }

    private readonly Dictionary<TopicPartition, Active> _active = [];
    private readonly List<ConsumeRecord> _pending = [];
    private readonly Dictionary<TopicPartition, long> _consumed = [];
    private int _round;

    /// <summary>Counts the fetcher's assignments; a poll of the fetcher remembers the round it was sent in.</summary>
    public int Round => _round;

    public IReadOnlyCollection<TopicPartition> ActivePartitions => _active.Keys;

    public IReadOnlyDictionary<TopicPartition, long> Consumed => _consumed;

    public bool HasPending => _pending.Count > 0;

    /// <summary>
    /// Starts fetching partitions in a new round: those in <paramref name="starts"/> from that offset,
    /// <paramref name="resets"/> wherever auto-offset-reset puts them. Partitions already active are kept as they are.
    /// </summary>
    public void Activate(IReadOnlyDictionary<TopicPartition, long> starts, IEnumerable<TopicPartition> resets)
    {
        _round++;
        foreach (var (tp, offset) in starts)
        {
            _active.TryAdd(tp, new Active(_round, offset));
        }
        foreach (var tp in resets)
        {
            _active.TryAdd(tp, new Active(_round, null));
        }
    }

    /// <summary>Stops returning records of <paramref name="partitions"/> (their consumed positions stay until <see cref="Forget"/>).</summary>
    public void Deactivate(IReadOnlyCollection<TopicPartition> partitions)
    {
        _round++;
        foreach (var tp in partitions)
        {
            _active.Remove(tp);
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

    /// <summary>
    /// Takes what the fetcher returned to a poll sent in <paramref name="askedInRound"/>. Returns the
    /// active partitions whose records were dropped as possibly stale, each with the offset the
    /// fetcher must go back to (null: where auto-offset-reset says).
    /// </summary>
    public IReadOnlyDictionary<TopicPartition, long?> Accept(IReadOnlyList<ConsumeRecord> records, int askedInRound)
    {
        Dictionary<TopicPartition, long?>? refetch = null;
        foreach (var record in records)
        {
            var tp = record.TopicPartition;
            if (!_active.TryGetValue(tp, out var active))
            {
                continue;
            }
            if (active.Since > askedInRound)
            {
                (refetch ??= [])[tp] = active.Next;
                continue;
            }
            if (active.Next is { } next && record.Offset < next)
            {
                continue;
            }
            active.Next = record.Offset + 1;
            _pending.Add(record);
        }
        return refetch ?? (IReadOnlyDictionary<TopicPartition, long?>)new Dictionary<TopicPartition, long?>();
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
