using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using Microsoft.Extensions.Logging;
using AkkaStream.Storage.Checkpoints;
using Microsoft.Win32.SafeHandles;

namespace AkkaStream.Storage.Segments;

/// <summary>
/// One segment of a partition's log: the <c>.log</c> file of batches laid end to end, with its
/// offset and time indexes. Positions inside a segment are int32, as in Kafka's index format, so a
/// segment never passes 2 GiB. Not thread-safe: owned by a <see cref="Log.PartitionLog"/>, which
/// serializes every call.
/// </summary>
internal sealed partial class LogSegment : IDisposable
{
    private readonly string _directory;
    private LogConfig _config;
    private readonly ILogger _logger;
    private SafeFileHandle _log;
    private int _bytesSinceLastIndexEntry;
    private long _offsetOfMaxTimestamp;

    private LogSegment(string directory, long baseOffset, LogConfig config, ILogger logger, long createdAtMs, FileMode mode, string fileSuffix = "")
    {
        _directory = directory;
        _config = config;
        _logger = logger;
        BaseOffset = baseOffset;
        NextOffset = baseOffset;
        CreatedAtMs = createdAtMs;
        AllowsOffsetGaps = config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) || MarkerFile.Exists(directory, MarkerFile.OffsetGaps);
        LogPath = SegmentFileNames.LogFile(directory, baseOffset) + fileSuffix;
        _log = File.OpenHandle(LogPath, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        Size = RandomAccess.GetLength(_log);
        OffsetIndex = new OffsetIndex(SegmentFileNames.IndexFile(directory, baseOffset) + fileSuffix, baseOffset, config.SegmentIndexBytes);
        TimeIndex = new TimeIndex(SegmentFileNames.TimeIndexFile(directory, baseOffset) + fileSuffix, baseOffset, config.SegmentIndexBytes);
    }

    public long BaseOffset { get; }

    public string LogPath { get; private set; }

    /// <summary>Bytes in the log file.</summary>
    public long Size { get; private set; }

    /// <summary>The offset after the last batch; the base offset while the segment is empty.</summary>
    public long NextOffset { get; private set; }

    /// <summary>The largest batch timestamp in the segment, or -1 when it holds none.</summary>
    public long MaxTimestamp { get; private set; } = -1;

    /// <summary>The first batch's timestamp, from which <c>segment.ms</c> is measured; -1 while empty.</summary>
    public long FirstBatchTimestamp { get; private set; } = -1;

    /// <summary>Wall-clock time the segment was created or opened, for <c>segment.ms</c> when batches carry no timestamp.</summary>
    public long CreatedAtMs { get; }

    public bool IsEmpty => Size == 0;

    /// <summary>Whether batches may skip offsets: the log is or was compacted (see <see cref="MarkerFile.OffsetGaps"/>).</summary>
    public bool AllowsOffsetGaps { get; private set; }

    internal OffsetIndex OffsetIndex { get; }

    internal TimeIndex TimeIndex { get; }

    internal SafeFileHandle Handle => _log;

    /// <summary>Creates a new, empty segment, replacing any files left at its name.</summary>
    public static LogSegment Create(string directory, long baseOffset, LogConfig config, ILogger logger, long nowMs, string fileSuffix = "")
    {
        var segment = new LogSegment(directory, baseOffset, config, logger, nowMs, FileMode.Create, fileSuffix);
        segment.OffsetIndex.Reset();
        segment.TimeIndex.Reset();
        return segment;
    }

    /// <summary>
    /// Opens an existing segment and loads its indexes, checking them against the log. Batches past
    /// the last index entry are walked to bring the in-memory state up to the end of the file; a bad
    /// tail is reported through <see cref="TailCheck"/>, not repaired here. With
    /// <paramref name="walkTail"/> false the walk is skipped and the caller must call
    /// <see cref="Recover"/> next, which rebuilds that state itself while validating the batches:
    /// walking the tail first would read it twice.
    /// </summary>
    public static LogSegment Open(string directory, long baseOffset, LogConfig config, ILogger logger, long nowMs, out TailCheck tail,
        bool walkTail = true)
    {
        var segment = new LogSegment(directory, baseOffset, config, logger, nowMs, FileMode.Open);
        tail = segment.LoadIndexesAndWalkTail(walkTail);
        return segment;
    }

    /// <summary>
    /// True when appending <paramref name="incomingBytes"/> with timestamp <paramref name="incomingMaxTimestamp"/>
    /// must go to a new segment: size, age, a full index, or offsets the index cannot express.
    /// </summary>
    public bool ShouldRoll(int incomingBytes, long incomingMaxTimestamp, long incomingLastOffset, long nowMs)
    {
        if (IsEmpty)
        {
            return false;
        }
        var reference = FirstBatchTimestamp >= 0 ? FirstBatchTimestamp : CreatedAtMs;
        var age = incomingMaxTimestamp >= 0 && FirstBatchTimestamp >= 0 ? incomingMaxTimestamp - reference : nowMs - CreatedAtMs;
        return Size > _config.SegmentBytes - incomingBytes
            || age > _config.SegmentMs
            || OffsetIndex.IsFull
            || TimeIndex.IsFull
            || incomingLastOffset - BaseOffset > int.MaxValue;
    }

    /// <summary>Takes the log's new settings (roll limits, index interval, cleanup policy).</summary>
    public void UpdateConfig(LogConfig config)
    {
        _config = config;
        AllowsOffsetGaps |= config.CleanupPolicy.HasFlag(CleanupPolicy.Compact);
    }

    /// <summary>Appends batches whose offsets are final. The caller has validated them.</summary>
    public void Append(ReadOnlySpan<byte> batches)
    {
        try
        {
            RandomAccess.Write(_log, batches, Size);
        }
        catch (IOException e)
        {
            // Whatever part of the write landed lies beyond Size and is overwritten by the next append.
            throw new AkkaStreamException(ErrorCode.KafkaStorageError, $"cannot append to {LogPath}: {e.Message}", e);
        }
        var position = Size;
        foreach (var header in new RecordBatchEnumerator(batches))
        {
            Track(header, position);
            position += header.SizeInBytes;
        }
        Size = position;
    }

    /// <summary>Forces the log file to disk, then writes the index entries that point into it.</summary>
    public void Flush()
    {
        RandomAccess.FlushToDisk(_log);
        OffsetIndex.WritePending();
        TimeIndex.WritePending();
    }

    /// <summary>Forces the log and both indexes to disk.</summary>
    public void FlushAll()
    {
        RandomAccess.FlushToDisk(_log);
        OffsetIndex.Flush();
        TimeIndex.Flush();
    }

    /// <summary>
    /// Called when the segment stops being the active one: the time index gets a last entry for the
    /// segment's largest timestamp, so that time lookups and retention see it after a restart.
    /// </summary>
    public void OnRolled()
    {
        if (MaxTimestamp >= 0)
        {
            TimeIndex.MaybeAppend(MaxTimestamp, _offsetOfMaxTimestamp);
        }
        OffsetIndex.WritePending();
        TimeIndex.WritePending();
    }

    public void Dispose()
    {
        _log.Dispose();
        OffsetIndex.Dispose();
        TimeIndex.Dispose();
    }

    /// <summary>Closes and removes the segment's files.</summary>
    public void Delete()
    {
        Dispose();
        DeleteQuietly(LogPath);
        DeleteQuietly(OffsetIndex.Path);
        DeleteQuietly(TimeIndex.Path);
    }

    /// <summary>Removes the files of a segment that is not open.</summary>
    public static void DeleteFiles(string directory, long baseOffset)
    {
        DeleteQuietly(SegmentFileNames.LogFile(directory, baseOffset));
        DeleteQuietly(SegmentFileNames.IndexFile(directory, baseOffset));
        DeleteQuietly(SegmentFileNames.TimeIndexFile(directory, baseOffset));
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A file that cannot be removed now is removed at the next open (it no longer belongs to any segment).
        }
    }

    /// <summary>Updates size-independent state and the indexes for a batch written at <paramref name="position"/>.</summary>
    private void Track(RecordBatchHeader header, long position)
    {
        if (FirstBatchTimestamp < 0)
        {
            FirstBatchTimestamp = header.MaxTimestamp;
        }
        if (header.MaxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = header.MaxTimestamp;
            _offsetOfMaxTimestamp = header.LastOffset;
        }
        if (_bytesSinceLastIndexEntry > _config.IndexIntervalBytes && !OffsetIndex.IsFull && !TimeIndex.IsFull)
        {
            OffsetIndex.Append(new OffsetPosition(header.LastOffset, (int)position));
            if (MaxTimestamp >= 0)
            {
                TimeIndex.MaybeAppend(MaxTimestamp, _offsetOfMaxTimestamp);
            }
            _bytesSinceLastIndexEntry = 0;
        }
        _bytesSinceLastIndexEntry += header.SizeInBytes;
        NextOffset = header.NextOffset;
    }
}
