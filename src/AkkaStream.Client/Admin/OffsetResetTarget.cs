namespace AkkaStream.Client.Admin;

/// <summary>
/// Where <see cref="AkkaStreamAdmin.ResetGroupOffsetsAsync"/> moves a group's committed offsets:
/// the <c>--to-*</c> and <c>--shift-by</c> choices of Kafka's <c>kafka-consumer-groups --reset-offsets</c>.
/// </summary>
public abstract record OffsetResetTarget
{
    private OffsetResetTarget()
    {
    }

    /// <summary>The log start offset of each partition.</summary>
    public sealed record Earliest : OffsetResetTarget;

    /// <summary>The log end offset (high watermark) of each partition: the group skips everything written so far.</summary>
    public sealed record Latest : OffsetResetTarget;

    /// <summary>One offset for every partition, clamped to each partition's log.</summary>
    public sealed record ToOffset(long Offset) : OffsetResetTarget;

    /// <summary>The first offset whose record is at or after this time (ms since the Unix epoch); the log end when none is.</summary>
    public sealed record ToTimestamp(long TimestampMs) : OffsetResetTarget;

    /// <summary>The committed offset moved by <see cref="Delta"/> (negative: back), clamped to the log.</summary>
    public sealed record ShiftBy(long Delta) : OffsetResetTarget;
}
