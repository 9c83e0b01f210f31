namespace AkkaStream.Storage.Cleaner;

/// <summary>Settings of the log cleaner itself (broker-wide, not per topic). Immutable.</summary>
public sealed record LogCleanerOptions
{
    public static readonly LogCleanerOptions Default = new();

    /// <summary>
    /// How many distinct keys one cleaning run maps before it stops taking in more dirty segments
    /// (the rest stays dirty for the next run). The analogue of Kafka's
    /// <c>log.cleaner.dedupe.buffer.size</c>, counted in keys: about 34 bytes of map per key at the
    /// map's 70% load, so the default of 4 Mi keys needs up to ~140 MiB.
    /// </summary>
    public int MaxMapEntries { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many bytes of cleaned batches are gathered before each write to the cleaned segment.</summary>
    public int WriteBufferBytes { get; init; } = 1024 * 1024;
}
