using System.Diagnostics;
using AkkaStream.Storage;
using AkkaStream.Storage.Benchmarks;

// The storage benchmark: the partition log against a plain file, in one run, printed as markdown.
BenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var scratch = new Scratch(options.Directory);
var started = Stopwatch.GetTimestamp();
var pools = BenchOptions.RecordSizes.Select(size => BatchPool.Build(size, BenchOptions.BatchBytes)).ToArray();

Console.WriteLine("# AkkaStream storage benchmark");
Console.WriteLine();
Console.WriteLine($"Command: `dotnet run -c Release --project tests/AkkaStream.Storage.Benchmarks --{(args.Length == 0 ? "" : " " + string.Join(' ', args))}`");
Console.WriteLine();
var machine = new MarkdownTable("machine", "value");
foreach (var (item, value) in MachineInfo.Describe(scratch.Root)) machine.Add(item, value);
Console.WriteLine(machine);
Console.WriteLine(Settings(options, pools));

if (options.Runs("append"))
{
    Console.WriteLine("## Append throughput");
    Console.WriteLine();
    Console.WriteLine(AppendBenchmark.Run(options, scratch, pools));
}
if (options.Runs("read"))
{
    Console.WriteLine("## Sequential read from the page cache");
    Console.WriteLine();
    Console.WriteLine(ReadBenchmark.Run(options, scratch, pools));
}
if (options.Runs("recovery"))
{
    Console.WriteLine("## Recovery after an unclean shutdown");
    Console.WriteLine();
    Console.WriteLine(RecoveryBenchmark.Run(options, scratch, pools));
}
Console.WriteLine($"Total run time: {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s.");
return 0;

static MarkdownTable Settings(BenchOptions options, IReadOnlyList<BatchPool> pools)
{
    static string MiB(long bytes) => Timing.MiB(bytes);
    var config = LogConfig.Default;
    var table = new MarkdownTable("setting", "value");
    table.Add("records", string.Join("; ", pools.Select(p =>
        $"{p.RecordBytes} B values, no key, {p.RecordsPerBatch} per batch, batches of {p.BatchSize} B")));
    table.Add("batches", $"uncompressed, built before timing ({pools[0].Batches.Length} distinct batches reused in turn), one batch per append and per plain write");
    table.Add("append bytes per run", $"{MiB(options.Size)} (no flush, flush every 1 MiB); {MiB(options.SyncSize)} (flush every batch)");
    table.Add("read", $"log of {MiB(options.Size)}, read with Read(offset, 1 MiB) from 0 to the end; plain: RandomAccess.Read of its segment files in 1 MiB chunks; one unmeasured pass first");
    table.Add("recovery", $"log of {MiB(options.RecoverySize)}; unflushed tails of {string.Join(", ", options.UnflushedSizes.Select(MiB))}, and the whole log (recovery point 0)");
    table.Add("repeats", $"{options.Repeats} per throughput figure, {options.RecoveryRepeats} per recovery figure; median (min–max); ratios are the median of the per-repeat log/plain ratios, each repeat running both back to back, alternating which goes first");
    table.Add("baseline", "FileStream(bufferSize: 0) to a fresh file in the same directory, same writes, Flush(flushToDisk: true) on the same schedule");
    table.Add("log settings", $"Kafka's defaults: segment.bytes {MiB(config.SegmentBytes)}, index.interval.bytes {config.IndexIntervalBytes}, flush.ms unset, log.flush.offset.checkpoint.interval.ms {config.RecoveryPointCheckpointIntervalMs} (0 in the recovery runs); flush.messages set per mode");
    table.Add("MB", "10^6 bytes");
    table.Add("target", $"log / plain ≥ {BenchOptions.Target} for appends and reads (reported, never fails the run)");
    return table;
}
