namespace AkkaStream.Storage.Log;

/// <summary>
/// The file a log leaves in its directory when it closes cleanly. Its absence at the next open
/// means the process or machine stopped without closing the log, so the data after the recovery
/// point must be checked. Thread-safe (stateless).
/// </summary>
internal static class CleanShutdownMarker
{
    public const string FileName = ".clean-shutdown";

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    public static void Write(string directory)
    {
        using (var file = File.Create(Path.Combine(directory, FileName)))
        {
            file.Flush(flushToDisk: true);
        }
        Checkpoints.DirectorySync.Flush(directory);
    }

    public static void Remove(string directory) => File.Delete(Path.Combine(directory, FileName));
}
