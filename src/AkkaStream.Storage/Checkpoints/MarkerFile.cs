namespace AkkaStream.Storage.Checkpoints;

/// <summary>
/// Empty files whose presence in a partition directory records a fact about the log.
/// Thread-safe (stateless); creating one is durable before it returns.
/// </summary>
internal static class MarkerFile
{
    /// <summary>
    /// Left when the log closed cleanly. Its absence at the next open means the process or machine
    /// stopped without closing the log, so the data after the recovery point must be checked.
    /// </summary>
    public const string CleanShutdown = ".clean-shutdown";

    /// <summary>
    /// Left once the log may hold gaps between offsets (it is or was compacted). Without it, the
    /// offsets of a log must follow on exactly, which is what catches a damaged base offset: that
    /// field lies outside the batch's CRC. It is never removed, so a topic switched from compaction
    /// back to deletion still recovers the gaps compaction left.
    /// </summary>
    public const string OffsetGaps = ".offset-gaps";

    public static bool Exists(string directory, string name) => File.Exists(Path.Combine(directory, name));

    public static void Create(string directory, string name)
    {
        using (var file = File.Create(Path.Combine(directory, name)))
        {
            file.Flush(flushToDisk: true);
        }
        DirectorySync.Flush(directory);
    }

    public static void Remove(string directory, string name) => File.Delete(Path.Combine(directory, name));
}
