using System.Diagnostics;
using AkkaStream.Storage.Log;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// Append throughput: the partition log against a plain file taking the same batches in the same
/// 16 KiB writes with the same fsync schedule. Each repeat runs both back to back, alternating which
/// goes first, each into a fresh file that is deleted afterwards. Not thread-safe.
/// </summary>
internal static class AppendBenchmark
{
    private const long WarmUpBytes = 16 * BenchOptions.MiB;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    public static MarkdownTable Run(BenchOptions options, Scratch scratch, IReadOnlyList<BatchPool> pools)
    {
        var table = new MarkdownTable("record", "mode", "bytes per run", "how the log flushes",
            "plain file MB/s", "log MB/s", "log / plain", "≥ 0.8?");
        // Unmeasured runs for a while first: the runtime recompiles hot methods with full
        // optimization only after they have run for some time (tiered compilation waits 100 ms
        // and then compiles in the background), and a short first run would measure the slower code.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; warmUp.Elapsed < WarmUpTime; i++)
        {
            var pool = pools[i % pools.Count];
            MeasurePlain(scratch, pool, FlushMode.None, pool.BatchesFor(WarmUpBytes));
            MeasureLog(scratch, pool, FlushMode.None, pool.BatchesFor(WarmUpBytes));
        }
        foreach (var pool in pools)
        {
            foreach (var mode in FlushMode.All)
            {
                var batches = pool.BatchesFor(mode.RunBytes(options));
                Samples plain = new(), log = new(), ratios = new();
                for (var repeat = 0; repeat < options.Repeats; repeat++)
                {
                    double plainRate = 0, logRate = 0;
                    void RunPlain() => plainRate = MeasurePlain(scratch, pool, mode, batches);
                    void RunLog() => logRate = MeasureLog(scratch, pool, mode, batches);
                    if (repeat % 2 == 0) { RunPlain(); RunLog(); } else { RunLog(); RunPlain(); }
                    plain.Add(plainRate);
                    log.Add(logRate);
                    ratios.Add(logRate / plainRate);
                }
                var flushMessages = mode.FlushMessages(pool);
                table.Add($"{pool.RecordBytes} B", mode.Name, Timing.MiB(batches * pool.BatchSize),
                    flushMessages == long.MaxValue ? "never (flush.messages unset)" : $"its own policy: flush.messages = {flushMessages}",
                    plain.Summary(), log.Summary(), ratios.Summary("F2"), Timing.Marker(ratios.Median));
                Console.Error.WriteLine($"append {pool.RecordBytes} B, {mode.Name}: plain {plain.Summary()}, log {log.Summary()} MB/s");
            }
        }
        return table;
    }

    private static double MeasurePlain(Scratch scratch, BatchPool pool, FlushMode mode, long batches)
    {
        var path = scratch.NewPath("plain");
        Timing.Settle();
        var (bytes, seconds) = PlainFile.Write(path, pool, batches, mode.BatchesBetweenFlushes(pool));
        Scratch.Delete(path);
        return Timing.MBps(bytes, seconds);
    }

    private static double MeasureLog(Scratch scratch, BatchPool pool, FlushMode mode, long batches)
    {
        var directory = scratch.NewPath("log");
        var log = PartitionLog.Open(directory, LogWriter.Config(mode.FlushMessages(pool)));
        Timing.Settle();
        long bytes = 0;
        var seconds = Timing.Seconds(() => bytes = LogWriter.Append(log, pool, batches));
        // Close would fsync what the no-flush run left in the page cache; the files are deleted anyway.
        log.Abandon();
        Scratch.Delete(directory);
        return Timing.MBps(bytes, seconds);
    }
}
