using System.Text;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;
using AkkaStream.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Storage.Tests.Cleaner;

/// <summary>One record as a consumer reads it back, with strings for keys and values.</summary>
public sealed record ReadRecord(long Offset, string? Key, string? Value, long Timestamp);

/// <summary>
/// A compacted log in a temporary directory with a manual clock, plus the writing and reading
/// helpers the cleaner tests share. Not thread-safe.
/// </summary>
public sealed class CompactedLog : IDisposable
{
    public static readonly LogConfig DefaultConfig = LogConfig.Default with
    {
        CleanupPolicy = CleanupPolicy.Compact,
        SegmentBytes = 1024 * 1024,
        IndexIntervalBytes = 128,
        DeleteRetentionMs = 60_000,
    };

    private readonly TempDirectory _directory = new();

    public CompactedLog(LogConfig? config = null)
    {
        Config = config ?? DefaultConfig;
        Log = PartitionLog.Open(_directory.Path, Config, NullLogger.Instance, Time);
    }

    public LogConfig Config { get; }

    public ManualTimeProvider Time { get; } = new();

    public PartitionLog Log { get; private set; }

    public string Directory => _directory.Path;

    /// <summary>Appends one batch of (key, value) records stamped with the clock's time; null value = tombstone.</summary>
    public LogAppendInfo Append(params (string? Key, string? Value)[] records) =>
        AppendBatch(records, CompressionType.None, producerId: -1);

    private readonly Dictionary<long, int> _nextSequence = [];

    /// <summary>Appends one batch; with a producer id, as that idempotent producer's next batch (sequences continue per producer).</summary>
    public LogAppendInfo AppendBatch((string? Key, string? Value)[] records, CompressionType compression, long producerId, long? timestamp = null)
    {
        using var builder = new RecordBatchBuilder(compression);
        if (producerId >= 0)
        {
            builder.ProducerId = producerId;
            builder.ProducerEpoch = 0;
            builder.BaseSequence = _nextSequence.GetValueOrDefault(producerId);
            _nextSequence[producerId] = builder.BaseSequence + records.Length;
        }
        var time = timestamp ?? Time.NowMs;
        for (var i = 0; i < records.Length; i++)
        {
            builder.Append(time + i, Bytes(records[i].Key), Bytes(records[i].Value));
        }
        return Log.AppendAsLeader(builder.Build(), new LeaderEpoch(1));
    }

    /// <summary>Appends one record per key, each as its own batch.</summary>
    public void AppendEach(params (string? Key, string? Value)[] records)
    {
        foreach (var record in records) Append(record);
    }

    public void Roll() => Log.Roll();

    /// <summary>Closes the log cleanly and opens it again.</summary>
    public void Reopen()
    {
        Log.Close();
        Log = PartitionLog.Open(Directory, Config, NullLogger.Instance, Time);
    }

    /// <summary>Drops the log as a crash would (no flush, no clean-shutdown marker) and opens it again.</summary>
    public void CrashAndReopen()
    {
        Log.Abandon();
        Log = PartitionLog.Open(Directory, Config, NullLogger.Instance, Time);
    }

    public List<ReadRecord> ReadAll() => ReadAll(Log);

    /// <summary>Every record from the log start to the log end, as a consumer would fetch them.</summary>
    public static List<ReadRecord> ReadAll(PartitionLog log)
    {
        var records = new List<ReadRecord>();
        var offset = log.LogStartOffset;
        var end = log.LogEndOffset;
        while (offset < end)
        {
            using var result = log.Read(offset, 64 * 1024);
            if (result.IsEmpty)
            {
                break;
            }
            var batches = new RecordBatchEnumerator(result.Records.Span);
            while (batches.MoveNext())
            {
                using var reader = new RecordBatchReader(batches.CurrentBytes);
                while (reader.TryReadNext(out var record))
                {
                    if (record.Offset >= offset.Value)
                    {
                        records.Add(new ReadRecord(record.Offset, Text(record.Key, record.IsKeyNull), Text(record.Value, record.IsValueNull), record.Timestamp));
                    }
                }
            }
            offset = result.NextOffset;
        }
        return records;
    }

    /// <summary>The headers of every batch in the log, in order.</summary>
    public List<RecordBatchHeader> BatchHeaders()
    {
        var headers = new List<RecordBatchHeader>();
        var offset = Log.LogStartOffset;
        while (offset < Log.LogEndOffset)
        {
            using var result = Log.Read(offset, 64 * 1024);
            if (result.IsEmpty)
            {
                break;
            }
            foreach (var header in new RecordBatchEnumerator(result.Records.Span))
            {
                headers.Add(header);
            }
            offset = result.NextOffset;
        }
        return headers;
    }

    /// <summary>The latest value of each key among <paramref name="records"/> (null for a tombstone), with its offset.</summary>
    public static Dictionary<string, (long Offset, string? Value)> Latest(IEnumerable<ReadRecord> records)
    {
        var latest = new Dictionary<string, (long, string?)>();
        foreach (var record in records)
        {
            if (record.Key is { } key) latest[key] = (record.Offset, record.Value);
        }
        return latest;
    }

    public string[] FilesEndingWith(string suffix) =>
        System.IO.Directory.GetFiles(Directory).Where(f => f.EndsWith(suffix, StringComparison.Ordinal)).ToArray();

    public void Dispose()
    {
        Log.Dispose();
        _directory.Dispose();
    }

    private static byte[]? Bytes(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    private static string? Text(ReadOnlySpan<byte> bytes, bool isNull) => isNull ? null : Encoding.UTF8.GetString(bytes);
}
