using System.Globalization;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>The benchmark's settings, from the command line. Immutable.</summary>
internal sealed record BenchOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary>The size of every batch the producer side hands to the log.</summary>
    public const int BatchBytes = 16 * 1024;

    /// <summary>How many bytes one <c>Read</c> call asks for, and one plain read takes.</summary>
    public const int ReadChunkBytes = 1024 * 1024;

    /// <summary>What each ratio must reach for the PASS marker.</summary>
    public const double Target = 0.8;

    public static readonly int[] RecordSizes = [100, 1024];

    public bool Quick { get; init; }

    /// <summary>Bytes appended per run in the no-flush and flush-every-MiB modes, and the size of the log read back.</summary>
    public long Size { get; init; } = 1024 * MiB;

    /// <summary>Bytes appended per run when every batch is flushed (fsync per 16 KiB is slow, so this is smaller).</summary>
    public long SyncSize { get; init; } = 128 * MiB;

    /// <summary>The whole log's size in the recovery measurement.</summary>
    public long RecoverySize { get; init; } = 1024 * MiB;

    /// <summary>Unflushed bytes after the recovery point, one recovery case each (clamped to the log's size).</summary>
    public long[] UnflushedSizes { get; init; } = [0, 16 * MiB, 64 * MiB, 256 * MiB];

    public int Repeats { get; init; } = 5;

    /// <summary>Runs per recovery figure: each builds a whole log, so fewer than for the throughput figures.</summary>
    public int RecoveryRepeats => Math.Min(Repeats, 3);

    /// <summary>The measurements to run: any of append, read, recovery.</summary>
    public string[] Only { get; init; } = ["append", "read", "recovery"];

    public bool Runs(string measurement) => Only.Contains(measurement);

    /// <summary>Scratch directory; null for a fresh one under the system temp directory.</summary>
    public string? Directory { get; init; }

    public static BenchOptions Quicker => new()
    {
        Quick = true,
        Size = 64 * MiB,
        SyncSize = 8 * MiB,
        RecoverySize = 128 * MiB,
        UnflushedSizes = [0, 16 * MiB, 64 * MiB],
        Repeats = 3,
    };

    public const string Usage = """
        Usage: dotnet run -c Release --project tests/AkkaStream.Storage.Benchmarks -- [options]
          --quick               small sizes (64 MiB appends, 128 MiB recovery log, 3 repeats)
          --size <MiB>          bytes appended per run and read back (default 1024)
          --sync-size <MiB>     bytes appended per run when flushing every batch (default 128)
          --recovery-size <MiB> size of the log in the recovery measurement (default 1024)
          --unflushed <MiB,..>  unflushed bytes after the recovery point, one case each (default 0,16,64,256)
          --repeats <n>         runs per figure; the median is reported (default 5)
          --only <a,b>          run only these measurements: append, read, recovery (default all)
          --dir <path>          scratch directory (default: a new one under /tmp, deleted at the end)
        """;

    /// <summary>Parses the arguments; <c>--quick</c> sets the defaults the other options then override.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var options = args.Contains("--quick") ? Quicker : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options,
                "--size" => options with { Size = Mebibytes(Value()) },
                "--sync-size" => options with { SyncSize = Mebibytes(Value()) },
                "--recovery-size" => options with { RecoverySize = Mebibytes(Value()) },
                "--unflushed" => options with { UnflushedSizes = Value().Split(',').Select(Mebibytes).ToArray() },
                "--repeats" => options with { Repeats = Math.Max(1, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--dir" => options with { Directory = Value() },
                "--only" => options with { Only = Value().Split(',') },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }

    private static long Mebibytes(string text) =>
        (long)(double.Parse(text, CultureInfo.InvariantCulture) * MiB);
}
