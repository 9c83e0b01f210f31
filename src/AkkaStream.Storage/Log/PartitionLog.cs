using AkkaStream.Records.Ids;
using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Producers;
using AkkaStream.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Storage.Log;

/// <summary>
/// One partition's log in one directory: its segments in offset order, the last one active, with
/// the log start offset, the recovery point and the leader-epoch cache.
/// </summary>
/// <remarks>
/// Thread-safe: every public member takes the log's lock, so appends, reads, truncation,
/// retention and flushes are serialized. The owner (a partition actor, the log manager's cleaner)
/// calls it from any thread. Opening recovers the log (see <see cref="LogLoader"/>); closing
/// flushes everything and leaves a clean-shutdown marker so the next open can skip recovery.
/// </remarks>
public sealed partial class PartitionLog : IDisposable
{
    private readonly object _lock = new();
    private readonly List<LogSegment> _segments;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _logStartOffset;
    private long _recoveryPoint;
    private long _unflushedRecords;
    private long _lastFlushMs;
    private long _lastRecoveryCheckpointMs;
    private bool _closed;

    internal PartitionLog(
        string directory,
        LogConfig config,
        List<LogSegment> segments,
        LeaderEpochCache epochs,
        ProducerStateManager producers,
        long logStartOffset,
        long recoveryPoint,
        ILogger logger,
        TimeProvider time)
    {
        Directory = directory;
        Config = config;
        _segments = segments;
        Epochs = epochs;
        Producers = producers;
        _logStartOffset = logStartOffset;
        _recoveryPoint = recoveryPoint;
        _logger = logger;
        _time = time;
        _lastFlushMs = NowMs;
        _lastRecoveryCheckpointMs = NowMs;
    }

    public string Directory { get; }

    public LogConfig Config { get; private set; }

    /// <summary>The first offset a consumer may read; raised by retention and <see cref="DeleteRecordsBefore"/>.</summary>
    public Offset LogStartOffset
    {
        get { lock (_lock) return new Offset(_logStartOffset); }
    }

    /// <summary>The offset the next appended record gets.</summary>
    public Offset LogEndOffset
    {
        get { lock (_lock) return new Offset(Active.NextOffset); }
    }

    /// <summary>Everything below this offset has been flushed to disk.</summary>
    public Offset RecoveryPoint
    {
        get { lock (_lock) return new Offset(_recoveryPoint); }
    }

    /// <summary>Bytes in all segments.</summary>
    public long SizeInBytes
    {
        get
        {
            lock (_lock)
            {
                long size = 0;
                foreach (var segment in _segments) size += segment.Size;
                return size;
            }
        }
    }

    public int SegmentCount
    {
        get { lock (_lock) return _segments.Count; }
    }

    /// <summary>The base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<Offset> SegmentBaseOffsets
    {
        get
        {
            lock (_lock)
            {
                var offsets = new Offset[_segments.Count];
                for (var i = 0; i < offsets.Length; i++) offsets[i] = new Offset(_segments[i].BaseOffset);
                return offsets;
            }
        }
    }

    /// <summary>What opening this log recovered (nothing after a clean shutdown).</summary>
    public LogRecovery Recovery { get; init; } = LogRecovery.Clean(0, TimeSpan.Zero);

    /// <summary>The (epoch, start offset) history of this partition's leaders, as far as this log holds it.</summary>
    public LeaderEpochCache Epochs { get; }

    /// <summary>
    /// The idempotent producers this log knows. Read it only while no other thread uses the log
    /// (tests, diagnostics): it is changed under the log's lock.
    /// </summary>
    public ProducerStateManager Producers { get; }

    private LogSegment Active => _segments[^1];

    /// <summary>Whether offsets may skip (see <see cref="MarkerFile.OffsetGaps"/>).</summary>
    private bool AllowsOffsetGaps => Active.AllowsOffsetGaps;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Opens the log in <paramref name="directory"/>, creating it if needed and recovering it after a crash.</summary>
    public static PartitionLog Open(string directory, LogConfig config, ILogger? logger = null, TimeProvider? time = null) =>
        LogLoader.Load(directory, config, logger ?? NullLogger.Instance, time ?? TimeProvider.System);

    /// <summary>Applies changed settings (a topic's configuration was altered). Existing segments keep their size.</summary>
    public void UpdateConfig(LogConfig config)
    {
        lock (_lock)
        {
            if (config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) && !AllowsOffsetGaps)
            {
                MarkerFile.Create(Directory, MarkerFile.OffsetGaps);
            }
            Config = config;
            foreach (var segment in _segments) segment.UpdateConfig(config);
        }
    }

    /// <summary>Starts a new active segment at the log end offset, unless the active one is empty.</summary>
    public void Roll()
    {
        lock (_lock)
        {
            RollLocked();
        }
    }

    /// <summary>Forces everything appended so far to disk and moves the recovery point to the log end.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    /// <summary>Flushes when <c>flush.ms</c> has passed since the last flush; the owner calls this on a schedule.</summary>
    public bool FlushIfDue()
    {
        lock (_lock)
        {
            if (_unflushedRecords == 0 || NowMs - _lastFlushMs < Config.FlushMs)
            {
                return false;
            }
            FlushLocked();
            return true;
        }
    }

    /// <summary>
    /// Closes the log cleanly: flushes data and indexes, records the recovery point and the log
    /// start offset, and leaves the clean-shutdown marker.
    /// </summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }
            foreach (var segment in _segments)
            {
                if (segment.NextOffset > _recoveryPoint || segment == Active)
                {
                    segment.FlushAll();
                }
            }
            _recoveryPoint = Active.NextOffset;
            WriteRecoveryPoint();
            WriteLogStartOffset();
            // The next open then loads the producers from here instead of replaying the active segment.
            Producers.WriteSnapshot(Active.NextOffset);
            Producers.DeleteSnapshotsInside(Active.BaseOffset, Active.NextOffset);
            foreach (var segment in _segments) segment.Dispose();
            MarkerFile.Create(Directory, MarkerFile.CleanShutdown);
            _closed = true;
        }
    }

    /// <summary>
    /// Closes the files without flushing or marking a clean shutdown: what a crash leaves behind.
    /// Tests use it to exercise recovery.
    /// </summary>
    internal void Abandon()
    {
        lock (_lock)
        {
            foreach (var segment in _segments) segment.Dispose();
            _closed = true;
        }
    }

    public void Dispose() => Close();

    private void RollLocked()
    {
        if (Active.IsEmpty)
        {
            return;
        }
        var nextOffset = Active.NextOffset;
        Active.OnRolled();
        _segments.Add(LogSegment.Create(Directory, nextOffset, Config, _logger, NowMs));
        // One snapshot per segment boundary: an open or a truncation replays at most the segment
        // after the newest snapshot it can use, and retention can delete a segment without losing
        // the state of the producers that wrote it.
        Producers.WriteSnapshot(nextOffset);
        LogRolled(_logger, Directory, nextOffset);
    }

    private void FlushLocked()
    {
        foreach (var segment in _segments)
        {
            if (segment.NextOffset > _recoveryPoint)
            {
                segment.Flush();
            }
        }
        _recoveryPoint = Active.NextOffset;
        _unflushedRecords = 0;
        _lastFlushMs = NowMs;
        if (_lastFlushMs - _lastRecoveryCheckpointMs >= Config.RecoveryPointCheckpointIntervalMs)
        {
            WriteRecoveryPoint();
        }
    }

    private void WriteRecoveryPoint()
    {
        OffsetCheckpoint.Write(Path.Combine(Directory, OffsetCheckpoint.RecoveryPointFileName), _recoveryPoint);
        _lastRecoveryCheckpointMs = NowMs;
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rolled a new segment in {Directory} at offset {Offset}")]
    private static partial void LogRolled(ILogger logger, string directory, long offset);
}
