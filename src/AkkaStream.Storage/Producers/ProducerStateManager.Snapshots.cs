using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Producers;

// Snapshots: the state written at an offset (on roll and close), and loaded again at open or after
// a truncation, so that only the batches after the snapshot need replaying.
public sealed partial class ProducerStateManager
{
    /// <summary>Writes the current state as the snapshot at <paramref name="offset"/> (the log end it reflects).</summary>
    internal void WriteSnapshot(long offset) => ProducerSnapshotFile.Write(_directory, offset, _producers.Values);

    /// <summary>
    /// Replaces the state with the newest readable snapshot at or below <paramref name="logEnd"/>.
    /// Snapshots above it describe batches the log no longer holds (a crash cut the unflushed
    /// tail, or the log was truncated) and are deleted, and so is a damaged one.
    /// </summary>
    /// <returns>The offset the loaded snapshot reflects: batches from there on must be replayed; -1 with none.</returns>
    internal long LoadLatestSnapshot(long logEnd)
    {
        _producers.Clear();
        // A write interrupted before its rename leaves only its temporary file.
        foreach (var leftover in Directory.EnumerateFiles(_directory, "*" + ProducerSnapshotFile.Suffix + Checkpoints.CheckpointFile.TempSuffix))
        {
            File.Delete(leftover);
        }
        var offsets = ProducerSnapshotFile.ListOffsets(_directory);
        for (var i = offsets.Count - 1; i >= 0; i--)
        {
            var path = ProducerSnapshotFile.PathFor(_directory, offsets[i]);
            if (offsets[i] > logEnd)
            {
                File.Delete(path);
                continue;
            }
            if (ProducerSnapshotFile.TryRead(path, out var problem) is { } entries)
            {
                foreach (var entry in entries) _producers[entry.ProducerId] = entry;
                return offsets[i];
            }
            LogDamagedSnapshot(_logger, path, problem!);
            File.Delete(path);
        }
        return -1;
    }

    /// <summary>
    /// Deletes the snapshots below <paramref name="offset"/> (the base of the oldest segment left):
    /// the snapshot at that offset, written when the segment before it rolled, covers them.
    /// </summary>
    internal void DeleteSnapshotsBelow(long offset)
    {
        foreach (var snapshot in ProducerSnapshotFile.ListOffsets(_directory))
        {
            if (snapshot < offset) File.Delete(ProducerSnapshotFile.PathFor(_directory, snapshot));
        }
    }

    internal void DeleteAllSnapshots() => DeleteSnapshotsBelow(long.MaxValue);

    /// <summary>
    /// Deletes the snapshots strictly between <paramref name="segmentBase"/> and <paramref name="newest"/>:
    /// earlier closes' snapshots inside the active segment, superseded by the one just written. The
    /// one at the segment's base stays for truncations into the segment.
    /// </summary>
    internal void DeleteSnapshotsInside(long segmentBase, long newest)
    {
        foreach (var snapshot in ProducerSnapshotFile.ListOffsets(_directory))
        {
            if (snapshot > segmentBase && snapshot < newest) File.Delete(ProducerSnapshotFile.PathFor(_directory, snapshot));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting the producer snapshot {Path}: {Problem}")]
    private static partial void LogDamagedSnapshot(ILogger logger, string path, string problem);
}
