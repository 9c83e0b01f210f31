using AkkaStream.Storage.Log;

namespace AkkaStream.Storage.Cleaner;

/// <summary>
/// The partition's <c>cleaner-offset-checkpoint</c>: the first dirty offset, i.e. where the part of
/// the log the cleaner has already compacted ends. One offset in Kafka's checkpoint text format
/// (Kafka keeps one such file per log directory, with an entry per partition; AkkaStream keeps it
/// beside the partition's segments). Thread-safe (stateless); one cleaner writes it at a time.
/// </summary>
internal static class CleanerCheckpoint
{
    public const string FileName = "cleaner-offset-checkpoint";

    /// <summary>The stored offset, or null when missing or unreadable (everything is then dirty).</summary>
    public static long? Read(string directory) => OffsetCheckpoint.Read(Path.Combine(directory, FileName));

    public static void Write(string directory, long firstDirtyOffset) =>
        OffsetCheckpoint.Write(Path.Combine(directory, FileName), firstDirtyOffset);
}
