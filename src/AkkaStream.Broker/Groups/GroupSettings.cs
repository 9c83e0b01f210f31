namespace AkkaStream.Broker.Groups;

/// <summary>
/// The group coordinator's settings: <c>akkastream.groups { }</c> (their Kafka names are in
/// <c>hocon/reference.conf</c>). Immutable.
/// </summary>
public sealed record GroupSettings
{
    public static readonly GroupSettings Default = new();

    /// <summary>How many shards the groups are spread over (a stable hash of the group id picks one).</summary>
    public int Shards { get; init; } = 50;

    /// <summary>Kafka: group.min.session.timeout.ms.</summary>
    public TimeSpan MinSessionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Kafka: group.max.session.timeout.ms.</summary>
    public TimeSpan MaxSessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Kafka: group.initial.rebalance.delay.ms. How long the first join of an empty group waits for more members.</summary>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Kafka: offsets.retention.minutes.</summary>
    public TimeSpan OffsetsRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Kafka: offsets.retention.check.interval.ms.</summary>
    public TimeSpan OffsetsRetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Kafka: offset.metadata.max.bytes.</summary>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary>A group entity saves a snapshot of its state every this many events.</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>A group with no members stops (its state stays in the journal) after this long without a request.</summary>
    public TimeSpan PassivateIdleAfter { get; init; } = TimeSpan.FromMinutes(2);
}
