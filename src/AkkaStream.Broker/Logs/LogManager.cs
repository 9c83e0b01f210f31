using System.Collections.Concurrent;
using System.Globalization;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Topics;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using AkkaStream.Storage.Cleaner;
using AkkaStream.Storage.Log;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Broker.Logs;

/// <summary>
/// Every partition log of one node. Opens the logs found under the data directory at start (in
/// parallel, bounded), hands each log to one owner at a time, creates logs for new partitions,
/// deletes those of topics the metadata no longer has and of partitions no longer assigned to this
/// broker (reassigned elsewhere), and runs retention, the cleaner and timed
/// flushes on its own thread, one log at a time — never on an actor's thread. It also writes each
/// log's high-watermark checkpoint (as its owner last published it) now and then, when an owner
/// gives the log back, and at close, and starts each new owner from that checkpoint.
/// </summary>
/// <remarks>Thread-safe: the table of logs is guarded by one lock; the logs themselves are thread-safe.</remarks>
public sealed class LogManager : IDisposable
{
    private const string DeleteSuffix = "-delete";

    private readonly object _lock = new();
    private readonly Dictionary<TopicPartition, Entry> _logs = [];
    private readonly string _dataDir;
    private readonly LogConfig _defaults;
    private readonly LogCleaner? _cleaner;
    private readonly ILogger _logger;
    private readonly int? _selfBroker;
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _worker;
    private readonly Timer _timer;
    private readonly Timer _checkpointTimer;
    private int _maintenancePending;
    private bool _disposed;
    // The newest metadata applied: what every queued reconciliation works from (see ApplyMetadata).
    private MetadataSnapshot? _metadata;

    private sealed class Entry(PartitionLog log, Guid topicId)
    {
        public PartitionLog Log { get; } = log;
        public Guid TopicId { get; } = topicId;
        public LogLease? Lease { get; set; }
        public IReadOnlyDictionary<string, string>? Configs { get; set; }
        public long CheckpointedHighWatermark { get; set; } = -1;
    }

    private LogManager(string dataDir, LogConfig defaults, LogCleanerOptions? cleaner, TimeSpan interval, TimeSpan checkpointInterval, ILogger logger, int? selfBroker)
    {
        _dataDir = dataDir;
        _selfBroker = selfBroker;
        _defaults = defaults;
        _cleaner = cleaner is null ? null : new LogCleaner(cleaner);
        _logger = logger;
        _worker = new Thread(Work) { IsBackground = true, Name = "akkastream-log-maintenance" };
        _worker.Start();
        _timer = new Timer(_ => ScheduleMaintenance(), null, interval, interval);
        _checkpointTimer = new Timer(_ => Enqueue(CheckpointHighWatermarks), null, checkpointInterval, checkpointInterval);
    }

    /// <summary>Opens every log under <paramref name="dataDir"/>, <paramref name="parallelism"/> at a time.</summary>
    /// <param name="cleaner">The cleaner's options, or null to never compact.</param>
    /// <param name="highWatermarkCheckpointInterval">How often high watermarks are checkpointed (5 s when null).</param>
    /// <param name="selfBroker">The broker these logs are replicas of: the metadata's partitions without a replica on it
    /// lose their log here. Null keeps every log of an existing partition (a single log store without replication).</param>
    public static LogManager Open(string dataDir, LogConfig defaults, LogCleanerOptions? cleaner, TimeSpan maintenanceInterval, int parallelism, ILogger logger,
        TimeSpan? highWatermarkCheckpointInterval = null, int? selfBroker = null)
    {
        Directory.CreateDirectory(dataDir);
        var manager = new LogManager(dataDir, defaults, cleaner, maintenanceInterval, highWatermarkCheckpointInterval ?? TimeSpan.FromSeconds(5), logger, selfBroker);
        var found = new List<(TopicPartition Partition, string Directory, Guid TopicId)>();
        foreach (var directory in Directory.EnumerateDirectories(dataDir))
        {
            var name = Path.GetFileName(directory);
            if (name.EndsWith(DeleteSuffix, StringComparison.Ordinal))
            {
                // A deletion the previous run did not finish.
                Directory.Delete(directory, recursive: true);
                continue;
            }
            if (ParseDirectoryName(name) is not { } partition)
            {
                continue;
            }
            if (PartitionMetadataFile.Read(directory) is not { } topicId)
            {
                logger.LogWarning("Skipping {Directory}: it has no readable {File}", directory, PartitionMetadataFile.FileName);
                continue;
            }
            found.Add((partition, directory, topicId));
        }
        logger.LogInformation("Opening {Count} logs in {DataDir}", found.Count, dataDir);
        var opened = 0;
        var events = new EventLog(logger, selfBroker ?? -1);
        Parallel.ForEach(found, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, item =>
        {
            var log = PartitionLog.Open(item.Directory, defaults, logger);
            if (!log.Recovery.CleanShutdown) events.Write(RecoveryLine(item.Partition, log.Recovery));
            lock (manager._lock)
            {
                manager._logs[item.Partition] = new Entry(log, item.TopicId);
            }
            var done = Interlocked.Increment(ref opened);
            if (done % 100 == 0 || done == found.Count)
            {
                logger.LogInformation("Opened {Done}/{Count} logs", done, found.Count);
            }
        });
        return manager;
    }

    /// <summary>The log-recovered line of a log that was not closed cleanly (see <see cref="LogRecovery"/>).</summary>
    private static EventLine RecoveryLine(TopicPartition partition, LogRecovery recovery) =>
        EventLine.Info("log-recovered").Partition(partition)
            .With("recovery-point", recovery.RecoveryPoint).With("log-end-offset", recovery.LogEndOffset)
            .With("records-recovered", recovery.RecordsRecovered).With("bytes-recovered", recovery.BytesRecovered)
            .With("truncated-bytes", recovery.TruncatedBytes).With("deleted-segments", recovery.DeletedSegments)
            .With("took-ms", (long)recovery.Took.TotalMilliseconds);

    /// <summary>The open log of <paramref name="partition"/>, whoever owns it (for tests and tooling that only read).</summary>
    internal PartitionLog? LogOf(TopicPartition partition)
    {
        lock (_lock) return _logs.TryGetValue(partition, out var entry) ? entry.Log : null;
    }

    /// <summary>The partitions that have a log here.</summary>
    public IReadOnlyList<TopicPartition> Partitions
    {
        get { lock (_lock) return [.. _logs.Keys]; }
    }

    /// <summary>
    /// Each local log's size and offsets, with the high watermark its owner last published (the
    /// checkpointed one while nobody owns it), for the broker's metrics. The logs are read outside
    /// the table's lock; a log closed meanwhile (its topic deleted) is left out.
    /// </summary>
    public IReadOnlyList<LogStatus> Statuses()
    {
        List<(TopicPartition Partition, PartitionLog Log, LogLease? Lease, long Checkpointed)> logs;
        lock (_lock)
        {
            logs = new(_logs.Count);
            foreach (var (partition, entry) in _logs) logs.Add((partition, entry.Log, entry.Lease, entry.CheckpointedHighWatermark));
        }
        var statuses = new List<LogStatus>(logs.Count);
        foreach (var (partition, log, lease, checkpointed) in logs)
        {
            try
            {
                statuses.Add(new LogStatus(partition, log.SizeInBytes, log.LogStartOffset.Value, log.LogEndOffset.Value,
                    lease?.HighWatermark.Value ?? checkpointed, lease is not null));
            }
            catch (ObjectDisposedException)
            {
                // Deleted since the table was read.
            }
        }
        return statuses;
    }

    /// <summary>
    /// Gives the log of <paramref name="partition"/> to the leader of <paramref name="epoch"/> or
    /// this broker's follower of it, creating it if needed. A log held for an older epoch is taken
    /// from its owner (whose lease is revoked); one held for the same or a newer epoch is refused.
    /// The new lease's high watermark is the checkpointed one (the log start without one), never
    /// above the log end: a new owner never shows more than was known committed.
    /// </summary>
    /// <exception cref="AkkaStreamException"><c>NotLeaderOrFollower</c> when a newer owner holds the log.</exception>
    public LogLease Acquire(TopicPartition partition, Guid topicId, IReadOnlyDictionary<string, string> configs, int epoch)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var config = TopicConfigParser.Parse(configs, _defaults);
            if (_logs.TryGetValue(partition, out var entry) && entry.TopicId != topicId)
            {
                // The log of an earlier topic with the same name, not deleted yet.
                DeleteLocked(partition, entry);
                entry = null;
            }
            if (entry is null)
            {
                var directory = Path.Combine(_dataDir, partition.DirectoryName);
                PartitionMetadataFile.Write(directory, topicId);
                entry = new Entry(PartitionLog.Open(directory, config, _logger), topicId);
                _logs[partition] = entry;
                _logger.LogInformation("Created the log of {Partition} in {Directory}", partition, directory);
            }
            if (entry.Lease is { IsRevoked: false } current)
            {
                if (current.Epoch >= epoch)
                {
                    throw new AkkaStreamException(ErrorCode.NotLeaderOrFollower,
                        $"the log of {partition} is held by leader epoch {current.Epoch}; epoch {epoch} is not newer");
                }
                current.Revoke();
            }
            entry.Log.UpdateConfig(config);
            entry.Configs = configs;
            var start = entry.Log.LogStartOffset.Value;
            var end = entry.Log.LogEndOffset.Value;
            var highWatermark = Math.Clamp(entry.Lease?.HighWatermark.Value ?? HighWatermarkCheckpoint.Read(entry.Log.Directory) ?? start, start, end);
            var lease = new LogLease(partition, topicId, epoch, entry.Log) { HighWatermark = new Offset(highWatermark) };
            entry.Lease = lease;
            return lease;
        }
    }

    /// <summary>Gives a log back; the log stays open for the next owner.</summary>
    public void Release(LogLease lease)
    {
        lock (_lock)
        {
            if (_logs.TryGetValue(lease.Partition, out var entry) && entry.Lease == lease)
            {
                entry.Lease = null;
                CheckpointLocked(lease.Partition, entry, lease.HighWatermark.Value);
            }
            lease.Revoke();
        }
    }

    /// <summary>
    /// Brings the logs in line with the controller's metadata: logs of topics it no longer has (or
    /// has under another id) and of partitions with no replica on this broker are deleted (an owner
    /// still holding one loses its lease), changed topic settings are applied. Runs on the
    /// maintenance thread; returns at once. An older snapshot than one applied before is ignored.
    /// </summary>
    /// <remarks>
    /// The maintenance thread may run this long after it was asked, when a newer snapshot has
    /// already made a follower or leader create a log: so it always works from the newest snapshot
    /// applied, never from the one it was queued with, which would delete that log. Apply a
    /// snapshot here before any owner can act on it.
    /// </remarks>
    public void ApplyMetadata(MetadataSnapshot snapshot)
    {
        lock (_lock)
        {
            if (_metadata is not null && snapshot.Version <= _metadata.Version) return;
            _metadata = snapshot;
        }
        Enqueue(Reconcile);
    }

    /// <summary>Runs retention, the cleaner and due flushes over every log now (tests, shutdown).</summary>
    public void RunMaintenance()
    {
        List<(TopicPartition Partition, PartitionLog Log, LogLease? Lease)> logs;
        lock (_lock)
        {
            logs = [.. _logs.Select(kv => (kv.Key, kv.Value.Log, kv.Value.Lease))];
        }
        foreach (var (partition, log, lease) in logs)
        {
            if (Volatile.Read(ref _disposed))
            {
                return;
            }
            try
            {
                // Never delete above the high watermark a leader published: consumers may still read there.
                Offset? highWatermark = lease is { IsRevoked: false } ? lease.HighWatermark : null;
                if (log.Config.CleanupPolicy.HasFlag(CleanupPolicy.Delete))
                {
                    var deleted = log.ApplyRetention(highWatermark);
                    if (deleted > 0)
                    {
                        _logger.LogInformation("Retention deleted {Count} segments of {Partition}", deleted, partition);
                    }
                }
                if (_cleaner is not null && log.Config.CleanupPolicy.HasFlag(CleanupPolicy.Compact))
                {
                    _cleaner.CleanIfNeeded(log, highWatermark);
                }
                log.FlushIfDue();
            }
            catch (Exception e) when (e is AkkaStreamException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // A log deleted or closed meanwhile, or a disk problem: the next pass tries again.
                _logger.LogWarning(e, "Maintenance of {Partition} failed", partition);
            }
        }
    }

    /// <summary>Stops the maintenance thread and closes every log cleanly.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _timer.Dispose();
        _checkpointTimer.Dispose();
        _work.CompleteAdding();
        _worker.Join();
        lock (_lock)
        {
            foreach (var (partition, entry) in _logs)
            {
                if (entry.Lease is { } lease)
                {
                    lease.Revoke();
                    CheckpointLocked(partition, entry, lease.HighWatermark.Value);
                }
                try
                {
                    entry.Log.Close();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    _logger.LogError(e, "Closing the log of {Partition} failed", partition);
                }
            }
            _logs.Clear();
        }
        _logger.LogInformation("Closed every log in {DataDir}", _dataDir);
    }

    /// <summary><c>&lt;topic&gt;-&lt;partition&gt;</c>, or null for a directory that is not a partition's.</summary>
    internal static TopicPartition? ParseDirectoryName(string name)
    {
        var dash = name.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            return null;
        }
        return new TopicPartition(name[..dash], partition);
    }

    private void Reconcile()
    {
        lock (_lock)
        {
            if (_disposed || _metadata is not { } snapshot)
            {
                return;
            }
            foreach (var (partition, entry) in _logs.ToList())
            {
                if (!snapshot.Topics.TryGetValue(partition.Topic, out var topic) || topic.Id != entry.TopicId || partition.Partition >= topic.Partitions.Count)
                {
                    DeleteLocked(partition, entry);
                    continue;
                }
                if (_selfBroker is { } self && !topic.Partitions[partition.Partition].Replicas.Contains(self))
                {
                    // Reassigned away: the new replicas have all of it (they were in sync before this broker was
                    // removed). Or added by a reassignment that was cancelled: nothing committed is only here.
                    DeleteLocked(partition, entry);
                    continue;
                }
                if (!ReferenceEquals(entry.Configs, topic.Configs) && (entry.Configs is null || !SameConfigs(entry.Configs, topic.Configs)))
                {
                    try
                    {
                        entry.Log.UpdateConfig(TopicConfigParser.Parse(topic.Configs, _defaults));
                        entry.Configs = topic.Configs;
                    }
                    catch (AkkaStreamException e)
                    {
                        _logger.LogWarning(e, "Cannot apply the settings of {Topic}", partition.Topic);
                    }
                }
            }
        }
    }

    /// <summary>Writes the high watermark of every owned log whose owner moved it since the last checkpoint.</summary>
    private void CheckpointHighWatermarks()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            foreach (var (partition, entry) in _logs)
            {
                if (entry.Lease is { IsRevoked: false } lease)
                {
                    CheckpointLocked(partition, entry, lease.HighWatermark.Value);
                }
            }
        }
    }

    private void CheckpointLocked(TopicPartition partition, Entry entry, long highWatermark)
    {
        if (highWatermark == entry.CheckpointedHighWatermark)
        {
            return;
        }
        try
        {
            HighWatermarkCheckpoint.Write(entry.Log.Directory, highWatermark);
            entry.CheckpointedHighWatermark = highWatermark;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next checkpoint tries again; a lost one only makes a new owner start lower.
            _logger.LogWarning(e, "Writing the high watermark checkpoint of {Partition} failed", partition);
        }
    }

    private static bool SameConfigs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private void DeleteLocked(TopicPartition partition, Entry entry)
    {
        entry.Lease?.Revoke();
        _logs.Remove(partition);
        var directory = entry.Log.Directory;
        try
        {
            entry.Log.Close();
            // Renamed first so that a crash half-way leaves a directory the next start removes, not a damaged log.
            var doomed = $"{directory}.{Guid.NewGuid():N}{DeleteSuffix}";
            Directory.Move(directory, doomed);
            Directory.Delete(doomed, recursive: true);
            _logger.LogInformation("Deleted the log of {Partition}", partition);
        }
        catch (IOException e)
        {
            _logger.LogError(e, "Deleting the log of {Partition} in {Directory} failed", partition, directory);
        }
    }

    private void ScheduleMaintenance()
    {
        // At most one pass waits in the queue; a slow pass is not followed by a pile of others.
        if (Interlocked.Exchange(ref _maintenancePending, 1) == 0)
        {
            Enqueue(() =>
            {
                Volatile.Write(ref _maintenancePending, 0);
                RunMaintenance();
            });
        }
    }

    private void Enqueue(Action action)
    {
        try
        {
            _work.Add(action);
        }
        catch (InvalidOperationException)
        {
            // Disposed: nothing more to do.
        }
    }

    private void Work()
    {
        foreach (var action in _work.GetConsumingEnumerable())
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Log maintenance failed");
            }
        }
    }
}
