using System.Globalization;
using AkkaStream.Storage.Checkpoints;

namespace AkkaStream.Broker.Logs;

/// <summary>
/// The <c>high-watermark-checkpoint</c> file in each partition directory (Kafka keeps one
/// <c>replication-offset-checkpoint</c> per data directory; ours is per partition so that a
/// partition directory stays self-contained). Written by the <see cref="LogManager"/> now and
/// then and at close; read when a log is handed to a new owner, so that a broker that becomes
/// leader after a restart never shows consumers records that were not committed. Thread-safe
/// (stateless); the log manager serializes writes to one file.
/// </summary>
public static class HighWatermarkCheckpoint
{
    public const string FileName = "high-watermark-checkpoint";
    private const int Version = 0;

    public static void Write(string directory, long highWatermark) =>
        CheckpointFile.Write(Path.Combine(directory, FileName), Version, [highWatermark.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>The stored high watermark, or null when the file is missing or unreadable.</summary>
    public static long? Read(string directory)
    {
        var content = CheckpointFile.Read<long>(Path.Combine(directory, FileName), Version, static (string line, out long value) =>
            long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out value));
        return content.Status == CheckpointStatus.Valid && content.Entries.Count == 1 ? content.Entries[0] : null;
    }
}
