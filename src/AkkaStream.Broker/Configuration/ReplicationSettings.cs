namespace AkkaStream.Broker.Configuration;

/// <summary>
/// How followers copy their leaders' logs and when a leader counts a follower in sync: the
/// <c>akkastream.replica-lag-time-max</c> and <c>akkastream.replication { }</c> settings (their
/// Kafka names are in <c>hocon/reference.conf</c>). Immutable.
/// </summary>
public sealed record ReplicationSettings
{
    /// <summary>
    /// The most a fetch response may carry: well under Akka.Remote's 8 MiB frame, because a larger
    /// message is dropped with only a log line and a frame that size holds up heartbeats.
    /// </summary>
    public const int FrameBudget = 6 * 1024 * 1024;

    public static readonly ReplicationSettings Default = new();

    /// <summary>Kafka: replica.lag.time.max.ms. A follower not caught up to the log end for this long leaves the ISR.</summary>
    public TimeSpan LagTimeMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Kafka: replica.fetch.wait.max.ms. How long the leader holds a fetch that finds nothing new.</summary>
    public TimeSpan FetchWaitMax { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Kafka: replica.fetch.min.bytes.</summary>
    public int FetchMinBytes { get; init; } = 1;

    /// <summary>Kafka: replica.fetch.response.max.bytes. Bounds one response to a fetch session.</summary>
    public int FetchMaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Kafka: replica.fetch.max.bytes. Bounds one partition's share of a response (the first batch always goes whole).</summary>
    public int FetchPartitionMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>Kafka: replica.fetch.backoff.ms. The pause after a failed fetch.</summary>
    public TimeSpan FetchBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Kafka: follower.replication.throttled.rate. Bytes per second this broker's replicas that are
    /// catching up outside the ISR may fetch, all partitions together (see <see cref="Replication.ReplicationThrottle"/>); 0: no throttle.
    /// </summary>
    public int FollowerThrottledRate { get; init; }

    /// <summary>Kafka: replica.high.watermark.checkpoint.interval.ms.</summary>
    public TimeSpan HighWatermarkCheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);
}
