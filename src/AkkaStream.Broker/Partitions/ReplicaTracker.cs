namespace AkkaStream.Broker.Partitions;

/// <summary>
/// The leader's view of its followers (Kafka's <c>Replica</c> state in <c>Partition</c>): each
/// follower's log end offset, counted from the offset of its latest fetch, and when it was last
/// caught up; the ISR the controller accepted; and from these the high watermark and the ISR
/// changes to propose. Not thread-safe; owned by one <see cref="PartitionEntity"/>.
/// </summary>
/// <remarks>
/// The ISR used here changes only when the controller accepted a change (<see cref="SetIsr"/>).
/// A proposed shrink therefore keeps counting the followers it would drop until it is accepted,
/// so a leader that cannot reach the controller cannot advance the high watermark without them:
/// it can no longer complete acks=all writes (the fencing Kafka gets from AlterPartition).
/// </remarks>
internal sealed class ReplicaTracker
{
    private sealed class Follower(long nowMs)
    {
        /// <summary>-1 until the follower's first fetch to this leader: unknown, so it holds the high watermark.</summary>
        public long LogEnd { get; set; } = -1;

        public long LastCaughtUpMs { get; set; } = nowMs;

        public long LastFetchMs { get; set; } = nowMs;

        public long LeaderEndAtLastFetch { get; set; } = -1;
    }

    private readonly int _self;
    private readonly Dictionary<int, Follower> _followers = [];

    /// <param name="nowMs">The start of this leadership: every follower counts as caught up then, as in Kafka.</param>
    public ReplicaTracker(int self, IReadOnlyList<int> replicas, IReadOnlyList<int> isr, long nowMs)
    {
        _self = self;
        foreach (var broker in replicas)
        {
            if (broker != self) _followers[broker] = new Follower(nowMs);
        }
        Isr = [.. isr];
    }

    /// <summary>The in-sync replicas, as the controller last accepted them (the leader included).</summary>
    public IReadOnlyList<int> Isr { get; private set; }

    public bool IsReplica(int broker) => _followers.ContainsKey(broker);

    public void SetIsr(IReadOnlyList<int> isr) => Isr = [.. isr];

    /// <summary>
    /// Counts a fetch at <paramref name="fetchOffset"/>: the follower has everything below it. It
    /// is caught up when it fetched from the log end, or from at least the log end of its previous
    /// fetch (then it was caught up at that previous fetch), as Kafka's <c>Replica.updateFetchState</c>.
    /// </summary>
    public void FollowerFetched(int broker, long fetchOffset, long leaderEnd, long nowMs)
    {
        if (!_followers.TryGetValue(broker, out var follower))
        {
            return;
        }
        if (fetchOffset >= leaderEnd)
        {
            follower.LastCaughtUpMs = Math.Max(follower.LastCaughtUpMs, nowMs);
        }
        else if (fetchOffset >= follower.LeaderEndAtLastFetch && follower.LeaderEndAtLastFetch >= 0)
        {
            follower.LastCaughtUpMs = Math.Max(follower.LastCaughtUpMs, follower.LastFetchMs);
        }
        follower.LogEnd = fetchOffset;
        follower.LastFetchMs = nowMs;
        follower.LeaderEndAtLastFetch = leaderEnd;
    }

    /// <summary>
    /// How far <paramref name="broker"/> is behind: records below the leader's log end it has not
    /// fetched (all of them before its first fetch), and milliseconds since it was last caught up.
    /// </summary>
    public (long Records, long SinceCaughtUpMs) LagOf(int broker, long leaderEnd, long nowMs) =>
        _followers.TryGetValue(broker, out var follower)
            ? (leaderEnd - Math.Max(0, follower.LogEnd), Math.Max(0, nowMs - follower.LastCaughtUpMs))
            : (0, 0);

    /// <summary>The lowest log end offset in the ISR; null while an ISR follower's position is unknown.</summary>
    public long? HighWatermark(long leaderEnd)
    {
        var lowest = leaderEnd;
        foreach (var broker in Isr)
        {
            if (broker == _self) continue;
            if (!_followers.TryGetValue(broker, out var follower) || follower.LogEnd < 0) return null;
            lowest = Math.Min(lowest, follower.LogEnd);
        }
        return lowest;
    }

    /// <summary>
    /// The ISR without the followers that are behind the log end and have not been caught up for
    /// longer than <paramref name="lagTimeMaxMs"/>; null when every ISR member is in sync.
    /// </summary>
    public int[]? Shrunk(long leaderEnd, long nowMs, long lagTimeMaxMs)
    {
        int[] kept = [.. Isr.Where(b => b == _self || !_followers.TryGetValue(b, out var f) || !IsOutOfSync(f, leaderEnd, nowMs, lagTimeMaxMs))];
        return kept.Length == Isr.Count ? null : kept;
    }

    /// <summary>
    /// The ISR with <paramref name="broker"/> added, when it is a follower outside the ISR that has
    /// reached the high watermark and the start of this leader's epoch (so it holds nothing from
    /// before the epoch that the leader lacks); null otherwise. Only the follower that just
    /// fetched is considered, as in Kafka: a follower that stopped fetching keeps its last
    /// position here, and must not be proposed again and again on other followers' fetches.
    /// </summary>
    public int[]? Expanded(int broker, long highWatermark, long epochStartOffset) =>
        _followers.TryGetValue(broker, out var follower) && !Isr.Contains(broker)
            && follower.LogEnd >= highWatermark && follower.LogEnd >= epochStartOffset
            ? [.. Isr, broker]
            : null;

    private static bool IsOutOfSync(Follower follower, long leaderEnd, long nowMs, long lagTimeMaxMs) =>
        follower.LogEnd != leaderEnd && nowMs - follower.LastCaughtUpMs > lagTimeMaxMs;
}
