namespace AkkaStream.Storage;

/// <summary>What happens to old data: Kafka's <c>cleanup.policy</c>, <c>delete</c>, <c>compact</c> or both.</summary>
[Flags]
public enum CleanupPolicy
{
    /// <summary>Whole segments are deleted by age (<c>retention.ms</c>) and size (<c>retention.bytes</c>).</summary>
    Delete = 1,

    /// <summary>Inactive segments are rewritten keeping the latest record of each key.</summary>
    Compact = 2,
}
