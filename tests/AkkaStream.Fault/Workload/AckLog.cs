using AkkaStream.Records.Errors;

namespace AkkaStream.Fault.Workload;

/// <summary>One acknowledged record: the producer's sequence number in its partition and where the broker said it wrote it.</summary>
public readonly record struct Ack(int Partition, long Sequence, long Offset, DateTime AckedAtUtc);

/// <summary>
/// Every outcome the producers saw: acknowledgements with their offsets, and failures by error
/// code. Thread-safe: delivery callbacks arrive on the producer actor's thread while the driver reads.
/// </summary>
public sealed class AckLog
{
    private readonly object _lock = new();
    private readonly Dictionary<int, List<Ack>> _acks = [];
    private readonly Dictionary<ErrorCode, int> _failures = [];
    private readonly Dictionary<int, DateTime> _lastAck = [];

    public void Acknowledged(Ack ack)
    {
        lock (_lock)
        {
            if (!_acks.TryGetValue(ack.Partition, out var list)) _acks[ack.Partition] = list = [];
            list.Add(ack);
            if (!_lastAck.TryGetValue(ack.Partition, out var last) || ack.AckedAtUtc > last) _lastAck[ack.Partition] = ack.AckedAtUtc;
        }
    }

    public void Failed(ErrorCode error)
    {
        lock (_lock)
        {
            _failures[error] = _failures.GetValueOrDefault(error) + 1;
        }
    }

    public long AcknowledgedCount
    {
        get
        {
            lock (_lock) return _acks.Values.Sum(l => (long)l.Count);
        }
    }

    public IReadOnlyDictionary<ErrorCode, int> Failures
    {
        get
        {
            lock (_lock) return new Dictionary<ErrorCode, int>(_failures);
        }
    }

    /// <summary>The acknowledgements of one partition, in the order the producer sent them.</summary>
    public IReadOnlyList<Ack> For(int partition)
    {
        lock (_lock)
        {
            return _acks.TryGetValue(partition, out var list) ? [.. list.OrderBy(a => a.Sequence)] : [];
        }
    }

    /// <summary>When the partition last acknowledged a write, or null if never.</summary>
    public DateTime? LastAckUtc(int partition)
    {
        lock (_lock)
        {
            return _lastAck.TryGetValue(partition, out var last) ? last : null;
        }
    }

    /// <summary>
    /// The longest stretch between <paramref name="fromUtc"/> and <paramref name="toUtc"/> in which
    /// the partition acknowledged nothing while the producer kept records outstanding: the time it
    /// had no leader able to take an acks=all write.
    /// </summary>
    public TimeSpan LongestSilence(int partition, DateTime fromUtc, DateTime toUtc)
    {
        var times = For(partition).Select(a => a.AckedAtUtc).Order().ToList();
        var longest = TimeSpan.Zero;
        var previous = fromUtc;
        foreach (var at in times.Append(toUtc))
        {
            if (at - previous > longest) longest = at - previous;
            previous = at > previous ? at : previous;
        }
        return longest;
    }
}
