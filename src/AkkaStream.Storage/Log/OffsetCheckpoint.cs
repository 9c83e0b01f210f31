using System.Globalization;
using AkkaStream.Storage.Checkpoints;

namespace AkkaStream.Storage.Log;

/// <summary>
/// A checkpoint file holding a single offset (the recovery point, the log start offset), in the
/// same text format as Kafka's checkpoints. Thread-safe (stateless); writes are atomic and durable.
/// </summary>
internal static class OffsetCheckpoint
{
    public const string RecoveryPointFileName = "recovery-point-offset-checkpoint";
    public const string LogStartOffsetFileName = "log-start-offset-checkpoint";
    private const int Version = 0;

    public static void Write(string path, long offset) =>
        CheckpointFile.Write(path, Version, [offset.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>The stored offset, or null when the file is missing or unreadable (the caller then assumes the safe default).</summary>
    public static long? Read(string path)
    {
        var content = CheckpointFile.Read<long>(path, Version, static (string line, out long value) =>
            long.TryParse(line, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= 0);
        return content.Status == CheckpointStatus.Valid && content.Entries.Count == 1 ? content.Entries[0] : null;
    }
}
