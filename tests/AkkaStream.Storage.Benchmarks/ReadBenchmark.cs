using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// Sequential read throughput from the page cache: the whole log with <c>Read(offset, 1 MiB)</c>
/// from offset 0 to the end, against plain 1 MiB reads of the same segment files. Both read the
/// same cached pages; one unmeasured pass of each comes first. Not thread-safe.
/// </summary>
internal static class ReadBenchmark
{
    public static MarkdownTable Run(BenchOptions options, Scratch scratch, IReadOnlyList<BatchPool> pools)
    {
        var table = new MarkdownTable("record", "log size", "read size", "plain file MB/s", "log MB/s", "log / plain", "≥ 0.8?");
        foreach (var pool in pools)
        {
            var directory = scratch.NewPath("read");
            var log = PartitionLog.Open(directory, LogWriter.Config());
            var size = LogWriter.Append(log, pool, pool.BatchesFor(options.Size));
            var files = PlainFile.SegmentFiles(directory);
            ReadLog(log);
            PlainFile.Read(files, BenchOptions.ReadChunkBytes);
            Samples plain = new(), logged = new(), ratios = new();
            for (var repeat = 0; repeat < options.Repeats; repeat++)
            {
                double plainRate = 0, logRate = 0;
                void RunPlain() => plainRate = Measure(() => PlainFile.Read(files, BenchOptions.ReadChunkBytes));
                void RunLog() => logRate = Measure(() => ReadLog(log));
                if (repeat % 2 == 0) { RunPlain(); RunLog(); } else { RunLog(); RunPlain(); }
                plain.Add(plainRate);
                logged.Add(logRate);
                ratios.Add(logRate / plainRate);
            }
            log.Abandon();
            Scratch.Delete(directory);
            table.Add($"{pool.RecordBytes} B", Timing.MiB(size), "1 MiB", plain.Summary(), logged.Summary(),
                ratios.Summary("F2"), Timing.Marker(ratios.Median));
            Console.Error.WriteLine($"read {pool.RecordBytes} B: plain {plain.Summary()}, log {logged.Summary()} MB/s");
        }
        return table;
    }

    /// <summary>Reads the log from offset 0 to its end, 1 MiB per call, as a consumer catching up would; returns the bytes.</summary>
    private static long ReadLog(PartitionLog log)
    {
        var end = log.LogEndOffset;
        var offset = Offset.Zero;
        long bytes = 0;
        while (offset < end)
        {
            using var result = log.Read(offset, BenchOptions.ReadChunkBytes);
            if (result.IsEmpty)
            {
                throw new InvalidOperationException($"the log returned nothing at offset {offset}, below its end {end}");
            }
            bytes += result.Length;
            offset = result.NextOffset;
        }
        return bytes;
    }

    private static double Measure(Func<long> read)
    {
        Timing.Settle();
        long bytes = 0;
        var seconds = Timing.Seconds(() => bytes = read());
        return Timing.MBps(bytes, seconds);
    }
}
