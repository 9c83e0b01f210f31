using AkkaStream.Storage.Log;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// Recovery after an unclean shutdown: a log of a fixed total size whose recovery point was
/// checkpointed (flush with <c>RecoveryPointCheckpointIntervalMs = 0</c>) before its last X bytes
/// were appended, left without a clean-shutdown marker by <see cref="PartitionLog.Abandon"/>, then
/// reopened under the stopwatch. The control has no flush at all, so its recovery point is 0 and the
/// whole log is validated. Each case is timed twice over: with the unflushed tail still dirty in the
/// page cache (a process crash just before; opening then also fsyncs it) and with the tail already
/// written back (fsynced, untimed, before opening), which leaves only reading and validating it.
/// Not thread-safe.
/// </summary>
internal static class RecoveryBenchmark
{
    private enum Tail { Dirty, WrittenBack }

    public static MarkdownTable Run(BenchOptions options, Scratch scratch, IReadOnlyList<BatchPool> pools)
    {
        var table = new MarkdownTable("record", "log size", "unflushed after recovery point", "tail at open",
            "open time ms", "recovery MB/s (unflushed / time)", "plain read MB/s", "recovery / plain read");
        var config = LogWriter.Config() with { RecoveryPointCheckpointIntervalMs = 0 };
        foreach (var pool in pools)
        {
            var totalBatches = pool.BatchesFor(options.RecoverySize);
            var cases = options.UnflushedSizes
                .Select(bytes => (Batches: Math.Min(bytes == 0 ? 0 : pool.BatchesFor(bytes), totalBatches), Full: false))
                .Append((Batches: totalBatches, Full: true))
                .Distinct();
            foreach (var (unflushedBatches, full) in cases)
            {
                foreach (var tail in new[] { Tail.Dirty, Tail.WrittenBack })
                {
                    if (unflushedBatches == 0 && tail == Tail.WrittenBack)
                    {
                        continue;
                    }
                    Samples seconds = new(), plainRead = new();
                    for (var repeat = 0; repeat < options.RecoveryRepeats; repeat++)
                    {
                        seconds.Add(MeasureOpen(scratch, pool, config, totalBatches, unflushedBatches, full, tail, plainRead));
                    }
                    var unflushedBytes = unflushedBatches * pool.BatchSize;
                    var rate = unflushedBytes == 0 ? double.NaN : Timing.MBps(unflushedBytes, seconds.Median);
                    table.Add($"{pool.RecordBytes} B", Timing.MiB(totalBatches * pool.BatchSize),
                        full ? "all of it (recovery point 0: control)" : Timing.MiB(unflushedBytes),
                        unflushedBatches == 0 ? "—" : tail == Tail.Dirty ? "dirty in page cache" : "written back",
                        Scale(seconds, 1000).Summary("F0"), Samples.Format(rate), plainRead.Summary(),
                        Samples.Format(rate / plainRead.Median, "F2"));
                    Console.Error.WriteLine($"recovery {pool.RecordBytes} B, {Timing.MiB(unflushedBytes)} unflushed{(full ? " (full)" : "")}, {tail}: {Scale(seconds, 1000).Summary()} ms");
                }
            }
        }
        return table;
    }

    /// <summary>Builds the crashed log, then times <see cref="PartitionLog.Open"/>; returns seconds.</summary>
    private static double MeasureOpen(Scratch scratch, BatchPool pool, LogConfig config, long totalBatches, long unflushedBatches,
        bool full, Tail tail, Samples plainRead)
    {
        var directory = scratch.NewPath("recovery");
        var log = PartitionLog.Open(directory, config);
        var flushedBatches = totalBatches - unflushedBatches;
        LogWriter.Append(log, pool, flushedBatches);
        if (!full)
        {
            log.Flush();
        }
        LogWriter.Append(log, pool, unflushedBatches, first: flushedBatches);
        var expectedEnd = log.LogEndOffset;
        log.Abandon();
        if (tail == Tail.WrittenBack)
        {
            FlushFiles(directory);
        }

        Timing.Settle();
        PartitionLog? reopened = null;
        var seconds = Timing.Seconds(() => reopened = PartitionLog.Open(directory, config));
        if (reopened!.LogEndOffset != expectedEnd)
        {
            throw new InvalidOperationException($"recovery ended the log at {reopened.LogEndOffset}, expected {expectedEnd}: nothing should be lost");
        }
        reopened.Abandon();

        // The same files read plainly, from the page cache as recovery found them: the rate recovery is compared with.
        var readSeconds = Timing.Seconds(() => PlainFile.Read(PlainFile.SegmentFiles(directory), BenchOptions.ReadChunkBytes));
        plainRead.Add(Timing.MBps(totalBatches * pool.BatchSize, readSeconds));
        Scratch.Delete(directory);
        return seconds;
    }

    private static void FlushFiles(string directory)
    {
        foreach (var path in Directory.GetFiles(directory))
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
        }
    }

    private static Samples Scale(Samples samples, double factor)
    {
        var scaled = new Samples();
        foreach (var value in samples.Values) scaled.Add(value * factor);
        return scaled;
    }
}
