using System.Buffers.Binary;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;
using AkkaStream.Storage.Segments;
using AkkaStream.Storage.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Tests.Recovery;

/// <summary>A batch as it was written: its offsets, values, timestamps, epoch, and where it lies on disk.</summary>
internal sealed record WrittenBatch(long BaseOffset, string[] Values, long MaxTimestamp, int Epoch, int SizeInBytes)
{
    public long SegmentBase { get; set; }

    public long Position { get; set; }

    public long LastOffset => BaseOffset + Values.Length - 1;

    public long NextOffset => BaseOffset + Values.Length;

    /// <summary>The batch's timestamp (its first record's).</summary>
    public long BaseTimestamp => MaxTimestamp - Values.Length + 1;
}

/// <summary>
/// A log written with random batches over several small segments, flushed part of the way (so the
/// recovery point is recorded), written further, then abandoned as a crash leaves it. Tests damage
/// its files, reopen it and check what is served against what was written. Not thread-safe.
/// </summary>
internal sealed class CrashScenario : IDisposable
{
    public static readonly LogConfig Config = LogConfig.Default with
    {
        SegmentBytes = 2_000,
        IndexIntervalBytes = 150,
        RecoveryPointCheckpointIntervalMs = 0,
        SegmentMs = long.MaxValue,
    };

    private readonly Dictionary<string, long> _sizesBeforeOpen = [];

    private CrashScenario(Random random, int batches, bool flush)
    {
        Random = random;
        Fixture = new LogFixture(Config);
        var epoch = 0;
        var flushAfter = flush ? random.Next(1, batches) : -1;
        var value = 0;
        for (var i = 0; i < batches; i++)
        {
            if (random.Next(5) == 0) epoch++;
            var count = random.Next(1, 21);
            var valueBytes = random.Next(4) == 0 ? random.Next(150, 400) : random.Next(0, 40);
            var timestamp = 1_000_000L + i * 100;
            var bytes = TestBatches.Values(value, count, timestamp, valueBytes: valueBytes);
            var info = Fixture.Append(bytes, epoch);
            Written.Add(new WrittenBatch(info.FirstOffset.Value, Enumerable.Range(value, count).Select(v => $"v{v}").ToArray(),
                timestamp + count - 1, epoch, bytes.Length));
            value += count;
            if (i + 1 == flushAfter)
            {
                Fixture.Log.Flush();
            }
        }
        RecoveryPoint = Fixture.Log.RecoveryPoint.Value;
        LogEndOffset = Fixture.Log.LogEndOffset.Value;
        Epochs = Fixture.Log.Epochs.Entries.ToList();
        SegmentBases = Fixture.Log.SegmentBaseOffsets.Select(o => o.Value).ToList();
        foreach (var batch in Written)
        {
            batch.SegmentBase = SegmentBases.Last(b => b <= batch.BaseOffset);
        }
        foreach (var group in Written.GroupBy(b => b.SegmentBase))
        {
            long position = 0;
            foreach (var batch in group)
            {
                batch.Position = position;
                position += batch.SizeInBytes;
            }
        }
        Fixture.Log.Abandon();
    }

    public Random Random { get; }

    public LogFixture Fixture { get; }

    public List<WrittenBatch> Written { get; } = [];

    /// <summary>The recovery point recorded before the crash: everything below it was flushed.</summary>
    public long RecoveryPoint { get; }

    public long LogEndOffset { get; }

    public List<AkkaStream.Storage.Epochs.EpochEntry> Epochs { get; }

    public List<long> SegmentBases { get; }

    public string Directory => Fixture.Directory;

    public PartitionLog Log => Fixture.Log;

    public RecordingLogger Logger => Fixture.Logger;

    /// <summary>Writes 25 to 40 random batches, flushing after a random one of them when <paramref name="flush"/>, and crashes.</summary>
    public static CrashScenario Write(int seed, bool flush = true)
    {
        var random = new Random(seed);
        return new CrashScenario(random, random.Next(25, 41), flush);
    }

    public string LogFile(long segmentBase) => SegmentFileNames.LogFile(Directory, segmentBase);

    public string IndexFile(long segmentBase) => SegmentFileNames.IndexFile(Directory, segmentBase);

    public string TimeIndexFile(long segmentBase) => SegmentFileNames.TimeIndexFile(Directory, segmentBase);

    /// <summary>The segment holding the recovery point, and the position in it where unflushed data starts.</summary>
    public (long SegmentBase, long Position) UnflushedStart()
    {
        if (Written.FirstOrDefault(b => b.BaseOffset >= RecoveryPoint) is { } first)
        {
            return (first.SegmentBase, first.Position);
        }
        return (SegmentBases[^1], new FileInfo(LogFile(SegmentBases[^1])).Length);
    }

    /// <summary>The written batch lying at <paramref name="position"/> of the segment starting at <paramref name="segmentBase"/>.</summary>
    public WrittenBatch BatchAt(long segmentBase, long position) =>
        Written.Single(b => b.SegmentBase == segmentBase && b.Position <= position && position < b.Position + b.SizeInBytes);

    /// <summary>Opens the damaged log as the restart after the crash does, remembering the sizes of the files it found.</summary>
    public void Reopen()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + SegmentFileNames.LogSuffix))
        {
            _sizesBeforeOpen[path] = new FileInfo(path).Length;
        }
        Fixture.CrashAndReopen();
    }

    /// <summary>
    /// What must hold after any damage: the log serves a prefix of what was written, at the same
    /// offsets with the same values, never a corrupt batch, from every offset; bytes cut from a
    /// file are reported with the file and position; appends continue at the log end.
    /// </summary>
    public void AssertServesValidPrefix(string context)
    {
        var logEnd = Log.LogEndOffset.Value;
        Assert.True(logEnd <= LogEndOffset, $"{context}: the log ends at {logEnd}, after the {LogEndOffset} written");
        Assert.True(logEnd == LogEndOffset || Written.Any(b => b.BaseOffset == logEnd), $"{context}: the log ends at {logEnd}, inside a batch");
        var expected = Written.SelectMany(b => b.Values.Select((v, i) => (Offset: b.BaseOffset + i, Value: v))).Where(r => r.Offset < logEnd).ToList();

        var served = new List<(long, string)>();
        var offset = Log.LogStartOffset.Value;
        while (offset < logEnd)
        {
            using var read = Log.Read(new Offset(offset), Random.Next(1, 3_000));
            Assert.False(read.IsEmpty, $"{context}: a read at {offset} below the log end {logEnd} returned nothing");
            foreach (var (header, records) in DecodeValid(read.Records.Span, context))
            {
                if (served.Count == 0) Assert.True(header.BaseOffset <= offset && offset <= header.LastOffset, $"{context}: a read at {offset} started with batch {header.BaseOffset}");
                served.AddRange(records.Where(r => r.Offset >= offset));
            }
            offset = read.NextOffset.Value;
        }
        Assert.True(expected.SequenceEqual(served), $"{context}: served {served.Count} records, expected the {expected.Count} written below {logEnd}");

        for (var i = 0; i < 20 && logEnd > 0; i++)
        {
            var at = Random.NextInt64(Log.LogStartOffset.Value, logEnd);
            using var read = Log.Read(new Offset(at), Random.Next(1, 3_000));
            var batches = DecodeValid(read.Records.Span, context);
            Assert.NotEmpty(batches);
            var holding = Written.Single(b => b.BaseOffset <= at && at <= b.LastOffset);
            Assert.Equal(holding.BaseOffset, batches[0].Header.BaseOffset);
            foreach (var (_, records) in batches)
            {
                foreach (var record in records) Assert.Contains(record, expected);
            }
        }

        AssertCutsWereReported(context);

        var next = Log.AppendAsLeader(TestBatches.Values(1_000_000, 3), new LeaderEpoch(Epochs.Count == 0 ? 0 : Epochs[^1].Epoch.Value));
        Assert.Equal(logEnd, next.FirstOffset.Value);
        Assert.Equal([(logEnd, "v1000000"), (logEnd + 1, "v1000001"), (logEnd + 2, "v1000002")], Fixture.ReadAll(from: logEnd));
    }

    /// <summary>Every .log file the open shortened or deleted is named in an error, a shortened one with the position it was cut at.</summary>
    public void AssertCutsWereReported(string context)
    {
        var errors = Logger.MessagesAtOrAbove(LogLevel.Error);
        foreach (var (path, before) in _sizesBeforeOpen)
        {
            if (!File.Exists(path))
            {
                Assert.True(errors.Any(e => e.Contains(path)), $"{context}: {path} was deleted without an error naming it: [{string.Join(" | ", errors)}]");
            }
            else if (new FileInfo(path).Length is var after && after < before)
            {
                Assert.True(errors.Any(e => e.Contains(path) && e.Contains($"position {after}")),
                    $"{context}: {path} was cut from {before} to {after} bytes without an error naming it and the position: [{string.Join(" | ", errors)}]");
            }
        }
    }

    /// <summary>The log is whole: every record written is served.</summary>
    public void AssertNothingLost(string context) =>
        Assert.True(Log.LogEndOffset.Value == LogEndOffset, $"{context}: the log ends at {Log.LogEndOffset}, {LogEndOffset} were written");

    /// <summary>Flips one byte at <paramref name="position"/> of <paramref name="path"/>.</summary>
    public void FlipByte(string path, long position)
    {
        using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        var b = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(b ^ Random.Next(1, 256)));
    }

    public static void CutFile(string path, long length)
    {
        using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.SetLength(length);
    }

    public static void AppendBytes(string path, byte[] bytes)
    {
        using var file = File.Open(path, FileMode.Append, FileAccess.Write);
        file.Write(bytes);
    }

    /// <summary>The base offset of the first batch, in offset order, holding a flipped byte the log can detect (any but the epoch field).</summary>
    public long? FirstDetectablyDamaged(IEnumerable<(long SegmentBase, long Position)> flips)
    {
        long? first = null;
        foreach (var (segmentBase, position) in flips)
        {
            var batch = BatchAt(segmentBase, position);
            var field = position - batch.Position;
            var inEpochField = field >= RecordBatchLayout.PartitionLeaderEpochOffset && field < RecordBatchLayout.PartitionLeaderEpochOffset + sizeof(int);
            if (!inEpochField && (first is null || batch.BaseOffset < first)) first = batch.BaseOffset;
        }
        return first;
    }

    /// <summary>
    /// After a clean close, every offset index entry points at a batch that ends at the entry's
    /// offset, the last time index entry names a batch's newest timestamp and last offset, and a
    /// segment with more than an index interval of bytes before its last batch has entries.
    /// </summary>
    public void AssertIndexesMatchTheLog(string context)
    {
        foreach (var segmentBase in Log.SegmentBaseOffsets.Select(o => o.Value))
        {
            var batches = Written.Where(b => b.SegmentBase == segmentBase && b.NextOffset <= Log.LogEndOffset.Value).ToList();
            var index = File.ReadAllBytes(IndexFile(segmentBase));
            Assert.True(index.Length % 8 == 0, $"{context}: {IndexFile(segmentBase)} has {index.Length} bytes");
            for (var i = 0; i < index.Length; i += 8)
            {
                var offset = segmentBase + BinaryPrimitives.ReadInt32BigEndian(index.AsSpan(i));
                var position = BinaryPrimitives.ReadInt32BigEndian(index.AsSpan(i + 4));
                Assert.True(batches.Any(b => b.Position == position && b.LastOffset == offset),
                    $"{context}: index entry ({offset}, {position}) of segment {segmentBase} points at no batch ending there");
            }
            if (batches.Count > 1 && batches.Take(batches.Count - 1).Sum(b => b.SizeInBytes) > Config.IndexIntervalBytes)
            {
                Assert.True(index.Length > 0, $"{context}: the index of segment {segmentBase} is empty");
            }
            var timeIndex = File.ReadAllBytes(TimeIndexFile(segmentBase));
            Assert.True(timeIndex.Length % 12 == 0, $"{context}: {TimeIndexFile(segmentBase)} has {timeIndex.Length} bytes");
            // Storage checks the last time index entry against the log (it gives the segment's
            // largest timestamp); an entry before it that was damaged but kept its order cannot be
            // told from a good one without reading every batch.
            if (timeIndex.Length > 0)
            {
                var timestamp = BinaryPrimitives.ReadInt64BigEndian(timeIndex.AsSpan(timeIndex.Length - 12));
                var offset = segmentBase + BinaryPrimitives.ReadInt32BigEndian(timeIndex.AsSpan(timeIndex.Length - 4));
                Assert.True(batches.Any(b => b.MaxTimestamp == timestamp && b.LastOffset == offset),
                    $"{context}: the last time index entry ({timestamp}, {offset}) of segment {segmentBase} names no batch");
            }
        }
    }

    /// <summary>Looking up each served batch's timestamp finds that batch's first offset.</summary>
    public void AssertTimestampLookupsMatchTheLog(string context)
    {
        foreach (var batch in Written.Where(b => b.NextOffset <= Log.LogEndOffset.Value))
        {
            var found = Log.OffsetForTimestamp(batch.BaseTimestamp);
            Assert.True(found?.Value == batch.BaseOffset, $"{context}: the offset for timestamp {batch.BaseTimestamp} is {found}, expected {batch.BaseOffset}");
        }
    }

    public void Dispose() => Fixture.Dispose();

    private static List<(RecordBatchHeader Header, List<(long Offset, string Value)> Records)> DecodeValid(ReadOnlySpan<byte> bytes, string context)
    {
        var batches = new List<(RecordBatchHeader, List<(long, string)>)>();
        var enumerator = new RecordBatchEnumerator(bytes);
        while (enumerator.MoveNext())
        {
            Assert.True(RecordBatch.Validate(enumerator.CurrentBytes, out var reason) == ErrorCode.None,
                $"{context}: batch {enumerator.Current.BaseOffset} was served corrupt: {reason}");
            var records = TestBatches.ReadValues(enumerator.CurrentBytes);
            Assert.Equal(enumerator.Current.RecordsCount, records.Count);
            batches.Add((enumerator.Current, records));
        }
        Assert.True(enumerator.Remaining == 0, $"{context}: a read ended with {enumerator.Remaining} bytes that are not a whole batch");
        return batches;
    }
}
