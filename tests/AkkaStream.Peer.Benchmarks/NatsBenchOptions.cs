using AkkaStream.Benchmarks;
using static AkkaStream.Benchmarks.BenchArguments;

namespace AkkaStream.Peer.Benchmarks;

/// <summary>The NATS end-to-end run's settings, from the command line. Immutable.</summary>
internal sealed record NatsBenchOptions
{
    /// <summary>The servers, comma-separated NATS URLs.</summary>
    public string Servers { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>The stream, created afresh (an older one of the name is deleted first).</summary>
    public string Stream { get; init; } = "latency";

    /// <summary>Copies of each message: 3 is AkkaStream's RF=3, a publish acknowledged once a majority holds it.</summary>
    public int Replicas { get; init; } = 3;

    public long Records { get; init; } = 1_000_000;

    public int RecordSize { get; init; } = 100;

    public int Rate { get; init; } = 50_000;

    public long WarmupRecords { get; init; } = 100_000;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public const string Usage = """
        Usage: dotnet tests/AkkaStream.Peer.Benchmarks/bin/Release/net10.0/AkkaStream.Peer.Benchmarks.dll nats-end-to-end [options]
          --servers <url,..>          the NATS servers (default nats://127.0.0.1:4222)
          --stream <name>             the JetStream stream, made afresh on file storage (default latency)
          --replicas <n>              its replicas (default 3)
          --num-records <n>           messages to publish and read (default 1000000)
          --record-size <bytes>       size of each message (default 100)
          --rate <n>                  messages published per second (default 50000)
          --warmup-records <n>        messages received first and left out of the latency (default 100000)
          --timeout-ms <ms>           give up after this long without a message (default 60000)
        """;

    /// <summary>The options, or null after printing the usage (asked for, or with the reason the arguments were refused).</summary>
    public static NatsBenchOptions? FromArguments(string[] args) => BenchArguments.Parse(args, Usage, Parse);

    private static NatsBenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "nats-end-to-end") throw new ArgumentException("the first argument must be nats-end-to-end");
        var options = new NatsBenchOptions();
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--servers" => options with { Servers = Value() },
                "--stream" => options with { Stream = Value() },
                "--replicas" => options with { Replicas = AtLeast(1, Value(), "--replicas") },
                "--num-records" => options with { Records = AtLeast(1L, Value(), "--num-records") },
                "--record-size" => options with { RecordSize = AtLeast(8, Value(), "--record-size") },
                "--rate" => options with { Rate = AtLeast(1, Value(), "--rate") },
                "--warmup-records" => options with { WarmupRecords = AtLeast(0L, Value(), "--warmup-records") },
                "--timeout-ms" => options with { Timeout = TimeSpan.FromMilliseconds(AtLeast(1, Value(), "--timeout-ms")) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
