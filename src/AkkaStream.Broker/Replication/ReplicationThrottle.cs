namespace AkkaStream.Broker.Replication;

/// <summary>
/// The follower side of Kafka's replication quota (<c>follower.replication.throttled.rate</c>): the
/// bytes per second that this broker's replicas catching up outside the ISR (the replicas a
/// reassignment adds, or a broker returning after a failure) may fetch, shared by every fetch
/// session of the broker. In-sync followers are never throttled, so acks=all writes do not wait
/// for it. A debt-based bucket with no credit: a throttled partition is fetched only while the
/// quota is not in debt, and what it received is charged afterwards, so over any time T throttled
/// partitions receive at most rate × T plus one fetch response per session. Thread-safe (the
/// broker's fetchers share one).
/// </summary>
public sealed class ReplicationThrottle
{
    private readonly long _bytesPerSecond;
    private readonly object _lock = new();
    private double _balance;
    private long _lastMs;

    /// <param name="bytesPerSecond">0 or less: no throttle.</param>
    public ReplicationThrottle(long bytesPerSecond, long nowMs)
    {
        _bytesPerSecond = Math.Max(0, bytesPerSecond);
        _lastMs = nowMs;
    }

    public bool IsOn => _bytesPerSecond > 0;

    /// <summary>
    /// The most one throttled partition asks for in one fetch: a tenth of a second's worth (its
    /// first batch still comes whole), so that throttled traffic arrives in small steps.
    /// </summary>
    public int FetchBytes(int partitionMaxBytes) => (int)Math.Clamp(_bytesPerSecond / 10, 1, partitionMaxBytes);

    /// <summary>How long throttled partitions must wait before their next fetch; 0 when they may fetch now.</summary>
    public long WaitMs(long nowMs)
    {
        if (!IsOn) return 0;
        lock (_lock)
        {
            Refill(nowMs);
            return _balance >= 0 ? 0 : (long)Math.Ceiling(-_balance * 1000 / _bytesPerSecond);
        }
    }

    /// <summary>Counts bytes a throttled partition received.</summary>
    public void Charge(long bytes, long nowMs)
    {
        if (!IsOn || bytes <= 0) return;
        lock (_lock)
        {
            Refill(nowMs);
            _balance -= bytes;
        }
    }

    // Paying off the debt at the rate; never into credit, which would allow a burst above rate × T.
    private void Refill(long nowMs)
    {
        _balance = Math.Min(0, _balance + Math.Max(0, nowMs - _lastMs) * (double)_bytesPerSecond / 1000);
        _lastMs = Math.Max(_lastMs, nowMs);
    }
}
