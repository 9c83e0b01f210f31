using System.Globalization;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Checkpoints;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Epochs;

/// <summary>
/// A partition's leader-epoch history: for every leader epoch that wrote to this log, the first
/// offset it wrote (Kafka's <c>LeaderEpochFileCache</c>). Followers use it to find where their log
/// diverges from the leader's (<see cref="EndOffsetFor"/>, Kafka's OffsetsForLeaderEpoch) and
/// truncate there, instead of trusting a high watermark that may be stale.
/// <para>
/// Thread-safety: not thread-safe. The cache is owned by its partition log, which serializes every
/// call (the log is handed to one owner at a time). <see cref="Entries"/> returns an immutable
/// snapshot that stays valid after later changes.
/// </para>
/// <para>
/// Persistence: every change is written to <see cref="FileName"/> in the partition directory
/// before this method returns, atomically and durably (<see cref="CheckpointFile.Write"/>); if the
/// write throws, the cache keeps its previous entries, which are still the file's. Kafka flushes
/// truncations in the background; this cache flushes them at once, so the file never lags the
/// cache. A missing file loads as an empty history; a corrupt one is reported and loads as empty,
/// and the log rebuilds the history from its batches' partition leader epochs during recovery.
/// </para>
/// </summary>
public sealed partial class LeaderEpochCache
{
    /// <summary>The checkpoint's file name in the partition directory, as Kafka names it.</summary>
    public const string FileName = "leader-epoch-checkpoint";

    /// <summary>The version written on the checkpoint's first line (Kafka's current version).</summary>
    public const int FileVersion = 0;

    private readonly ILogger _logger;

    // Strictly increasing in both epoch and start offset. Never modified in place: a change builds
    // a new array, writes it, then swaps it in.
    private EpochEntry[] _entries;

    private LeaderEpochCache(string filePath, EpochEntry[] entries, ILogger logger, bool restored)
    {
        WasRestored = restored;
        FilePath = filePath;
        _entries = entries;
        _logger = logger;
    }

    /// <summary>The full path of the checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// True when <see cref="Load"/> read a valid checkpoint; false when the file was missing or
    /// unreadable, and the owner must learn the history again from the log's batches.
    /// </summary>
    public bool WasRestored { get; }

    /// <summary>The entries, oldest first: an immutable snapshot.</summary>
    public IReadOnlyList<EpochEntry> Entries => Array.AsReadOnly(_entries);

    /// <summary>The newest entry, or null when the history is empty.</summary>
    public EpochEntry? LatestEntry => _entries.Length == 0 ? null : _entries[^1];

    /// <summary>The newest epoch that wrote to this log, or null when the history is empty.</summary>
    public LeaderEpoch? LatestEpoch => LatestEntry?.Epoch;

    /// <summary>
    /// Opens the history of the partition in <paramref name="directory"/> from its
    /// <see cref="FileName"/>. A missing file gives an empty history. A corrupt file (unknown
    /// version, entry count that does not match, unparsable line, epochs or start offsets that do
    /// not strictly increase) is reported through <paramref name="logger"/> with its path and the
    /// problem, and gives an empty history; the file stays as it is until the next change replaces
    /// it. A leftover <c>.tmp</c> file from an interrupted write is ignored.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The partition directory does not exist.</exception>
    /// <exception cref="IOException">The file exists but could not be read.</exception>
    public static LeaderEpochCache Load(string directory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(logger);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Partition directory '{directory}' does not exist.");

        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        var content = CheckpointFile.Read<EpochEntry>(path, FileVersion, TryParseEntry);
        switch (content.Status)
        {
            case CheckpointStatus.Missing:
                return new LeaderEpochCache(path, [], logger, restored: false);
            case CheckpointStatus.Corrupt:
                LogCorruptCheckpoint(logger, path, content.Problem!);
                return new LeaderEpochCache(path, [], logger, restored: false);
        }

        var entries = content.Entries;
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Epoch <= entries[i - 1].Epoch || entries[i].StartOffset <= entries[i - 1].StartOffset)
            {
                LogCorruptCheckpoint(logger, path,
                    $"entry {entries[i]} on line {i + 3} does not follow {entries[i - 1]}: epochs and start offsets must strictly increase");
                return new LeaderEpochCache(path, [], logger, restored: false);
            }
        }

        return new LeaderEpochCache(path, [.. entries], logger, restored: true);
    }

    /// <summary>
    /// Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/> when it is newer
    /// than every epoch known, as the log does for each batch it appends or recovers; batches without
    /// an epoch (-1) and batches of known epochs change nothing. Returns whether the history changed.
    /// </summary>
    public bool AssignIfNewer(LeaderEpoch epoch, Offset startOffset) =>
        epoch.Value >= 0 && (LatestEpoch is not { } latest || epoch > latest) && Assign(epoch, startOffset);

    /// <summary>
    /// Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/>: the log calls
    /// this when it appends a batch whose partition leader epoch differs from
    /// <see cref="LatestEpoch"/> (a batch without an epoch, -1, is not assigned). Returns whether
    /// the history changed.
    /// <list type="bullet">
    /// <item>Same epoch as the latest entry, at or after its start: nothing to do; the entry
    /// already says where the epoch began.</item>
    /// <item>Newer epoch beyond the latest start: appended.</item>
    /// <item>Otherwise the new entry conflicts with the tail of the history, which is removed
    /// first (below).</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The epoch or the offset is negative.</exception>
    public bool Assign(LeaderEpoch epoch, Offset startOffset)
    {
        if (epoch.Value < 0)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "An epoch entry needs a defined epoch (≥ 0).");
        if (startOffset.Value < 0)
            throw new ArgumentOutOfRangeException(nameof(startOffset), startOffset, "An epoch entry needs a defined start offset (≥ 0).");

        var old = _entries;
        if (old.Length > 0 && old[^1].Epoch == epoch && startOffset >= old[^1].StartOffset)
            return false;

        // Conflict resolution, as Kafka's LeaderEpochFileCache.assign does it: the new entry wins,
        // and every entry from the end whose epoch is ≥ the new epoch OR whose start offset is ≥
        // the new start offset is removed before it is appended. (The two conditions each select a
        // suffix, because both columns increase, so "remove from the end while either holds"
        // removes exactly the entries that violate the ordering.)
        //
        // Why the new entry wins: the log calls Assign for a batch it has just written at
        // startOffset, and the log only writes at its end, so the log itself is the truth. An entry
        // starting at or after startOffset describes records that are no longer in the log (the
        // log was truncated below them and refilled). An entry with a higher epoch starting before
        // startOffset would put a newer epoch before an older one, which no leader can produce; it
        // is left over from history the log has since lost. Both happen when the checkpoint is
        // ahead of the log: after a crash in which the checkpoint was durable but the appended
        // batches were not, or when a follower's truncation was undone by a crash. Keeping such an
        // entry would make EndOffsetFor answer with an offset this log does not hold, and a
        // follower would then keep records that diverge from the leader's. The same rule covers
        // the latest epoch arriving again at a lower offset (the stale entry is replaced by the
        // lower start).
        var keep = old.Length;
        while (keep > 0 && (old[keep - 1].Epoch >= epoch || old[keep - 1].StartOffset >= startOffset))
            keep--;

        var added = new EpochEntry(epoch, startOffset);
        var next = new EpochEntry[keep + 1];
        Array.Copy(old, next, keep);
        next[keep] = added;
        Commit(next);

        // Removing one entry that started at the same offset is routine: that epoch wrote nothing
        // before the next one took over. Anything more means history was rewritten; say so.
        var removed = old.Length - keep;
        if (removed > 1 || (removed == 1 && old[keep].StartOffset != startOffset))
            LogConflictingEntriesRemoved(_logger, added, Describe(old, keep, old.Length), FilePath, next.Length);
        return true;
    }

    /// <summary>
    /// The epoch of the record at <paramref name="offset"/>: the epoch of the last entry that starts
    /// at or before it, or null when the offset is before the first entry or the history is empty.
    /// </summary>
    public LeaderEpoch? EpochFor(Offset offset)
    {
        var index = FirstStartingAfter(offset) - 1;
        return index < 0 ? null : _entries[index].Epoch;
    }

    /// <summary>
    /// Where <paramref name="requested"/> ends in this log, with Kafka's OffsetsForLeaderEpoch
    /// semantics (<c>LeaderEpochFileCache.endOffsetFor</c>). The answer is (the largest epoch
    /// ≤ requested, the start offset of the first epoch &gt; requested); a follower truncates its
    /// log to that end offset when its own history of that epoch goes further. Case by case:
    /// <list type="number">
    /// <item>requested is undefined (negative), or the history is empty:
    /// <see cref="EpochEndOffset.Undefined"/> (-1, -1).</item>
    /// <item>requested == the latest epoch: (requested, <paramref name="logEndOffset"/>); that epoch
    /// is still being written and ends at the log end.</item>
    /// <item>requested &gt; the latest epoch: <see cref="EpochEndOffset.Undefined"/>; no epoch here
    /// follows it, so this log cannot say where it ends.</item>
    /// <item>requested &lt; the first epoch: (requested, the first entry's start offset). Note that
    /// the epoch is the requested one, not -1: the records before the first entry are gone from
    /// this log (retention or a moved log start), so the follower is told to keep nothing past
    /// this log's oldest epoch.</item>
    /// <item>otherwise: (the largest epoch ≤ requested, the start offset of the first epoch
    /// &gt; requested). An epoch missing from the history (a leader that wrote nothing) resolves to
    /// the epoch before it: with 0@0, 1@5, 3@10, requesting 2 gives (1, 10).</item>
    /// </list>
    /// </summary>
    public EpochEndOffset EndOffsetFor(LeaderEpoch requested, Offset logEndOffset)
    {
        var entries = _entries;
        if (requested.Value < 0 || entries.Length == 0)
            return EpochEndOffset.Undefined;
        if (requested == entries[^1].Epoch)
            return new EpochEndOffset(requested, logEndOffset);

        var higher = FirstWithEpochAbove(requested);
        if (higher == entries.Length)
            return EpochEndOffset.Undefined;

        var endOffset = entries[higher].StartOffset;
        return higher == 0
            ? new EpochEndOffset(requested, endOffset)
            : new EpochEndOffset(entries[higher - 1].Epoch, endOffset);
    }

    /// <summary>
    /// The log was truncated to <paramref name="endOffset"/> (its new log end offset): removes the
    /// entries that start at or after it. An undefined (negative) offset changes nothing, as in
    /// Kafka. Returns whether the history changed.
    /// </summary>
    public bool TruncateFromEnd(Offset endOffset)
    {
        if (endOffset.Value < 0)
            return false;

        var old = _entries;
        var keep = FirstStartingAfter(endOffset - 1); // entries starting before endOffset
        if (keep == old.Length)
            return false;

        Commit(old[..keep]);
        if (_logger.IsEnabled(LogLevel.Debug))
            LogTruncatedFromEnd(_logger, FilePath, endOffset, Describe(old, keep, old.Length));
        return true;
    }

    /// <summary>
    /// The log start offset moved forward to <paramref name="startOffset"/> (retention, or records
    /// deleted): removes the entries that lie wholly below it, and moves the start of the entry
    /// that covers it up to <paramref name="startOffset"/>, so that the first entry never starts
    /// before the log does. As in Kafka, the epoch that covers <paramref name="startOffset"/> is
    /// kept even when the log holds no record of it any more (start offset at or past the log
    /// end): it is still the epoch the next record continues. An entry that starts exactly at
    /// <paramref name="startOffset"/> is kept as it is. Returns whether the history changed.
    /// </summary>
    public bool TruncateFromStart(Offset startOffset)
    {
        var old = _entries;
        var below = FirstStartingAfter(startOffset);
        if (below == 0 || (below == 1 && old[0].StartOffset == startOffset))
            return false;

        var next = new EpochEntry[old.Length - below + 1];
        next[0] = new EpochEntry(old[below - 1].Epoch, startOffset);
        Array.Copy(old, below, next, 1, old.Length - below);
        Commit(next);
        if (_logger.IsEnabled(LogLevel.Debug))
            LogTruncatedFromStart(_logger, FilePath, startOffset, Describe(old, 0, below), next[0]);
        return true;
    }

    /// <summary>Removes every entry (the whole log was deleted) and writes the empty checkpoint.</summary>
    public void Clear() => Commit([]);

    private void Commit(EpochEntry[] next)
    {
        var lines = new string[next.Length];
        for (var i = 0; i < next.Length; i++)
            lines[i] = FormatEntry(next[i]);
        CheckpointFile.Write(FilePath, FileVersion, lines);
        _entries = next;
    }

    // Index of the first entry whose epoch is greater than `epoch` (Length if none).
    private int FirstWithEpochAbove(LeaderEpoch epoch)
    {
        int low = 0, high = _entries.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_entries[mid].Epoch <= epoch) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    // Index of the first entry that starts after `offset` (Length if none).
    private int FirstStartingAfter(Offset offset)
    {
        int low = 0, high = _entries.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_entries[mid].StartOffset <= offset) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    // Kafka's entry line: "<epoch> <startOffset>", one space.
    private static string FormatEntry(EpochEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.Epoch.Value} {entry.StartOffset.Value}");

    // Two non-negative decimal numbers separated by blanks (Kafka splits on any whitespace run).
    private static bool TryParseEntry(string line, out EpochEntry entry)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startOffset))
        {
            entry = new EpochEntry(new LeaderEpoch(epoch), new Offset(startOffset));
            return true;
        }

        entry = default;
        return false;
    }

    private static string Describe(EpochEntry[] entries, int from, int to) =>
        "[" + string.Join(", ", entries[from..to]) + "]";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Leader-epoch checkpoint {Path} is corrupt: {Problem}. Starting with an empty epoch history; the log rebuilds it from its batches during recovery.")]
    private static partial void LogCorruptCheckpoint(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "New epoch entry {Entry} removed the conflicting entries {Removed} from {Path}; the history now has {Count} entries.")]
    private static partial void LogConflictingEntriesRemoved(ILogger logger, EpochEntry entry, string removed, string path, int count);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Epoch history {Path} truncated to end offset {EndOffset}: removed {Removed}.")]
    private static partial void LogTruncatedFromEnd(ILogger logger, string path, Offset endOffset, string removed);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Epoch history {Path} moved to start offset {StartOffset}: removed {Removed}, first entry now {First}.")]
    private static partial void LogTruncatedFromStart(ILogger logger, string path, Offset startOffset, string removed, EpochEntry first);
}
