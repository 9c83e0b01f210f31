using AkkaStream.Benchmarks;
using static AkkaStream.Benchmarks.BenchArguments;
using Confluent.Kafka;

namespace AkkaStream.Kafka.Benchmarks;

/// <summary>The benchmark's settings, from the command line. Immutable.</summary>
internal sealed record KafkaBenchOptions
{
    /// <summary>produce, consume or end-to-end.</summary>
    public required string Mode { get; init; }

    public string Bootstrap { get; init; } = "127.0.0.1:9092";

    public string Topic { get; init; } = "kafka-bench";

    public int Partition { get; init; }

    public long Records { get; init; } = 1_000_000;

    public int RecordSize { get; init; } = 100;

    /// <summary>acks as librdkafka spells it: 0, 1 or all.</summary>
    public string Acks { get; init; } = "1";

    public int LingerMs { get; init; } = 5;

    /// <summary>librdkafka's batch.size (its default, 1,000,000 bytes, unless given).</summary>
    public int? BatchSize { get; init; }

    /// <summary>end-to-end: records sent per second.</summary>
    public int Rate { get; init; } = 50_000;

    /// <summary>end-to-end: the first records received, left out of the latency figures.</summary>
    public long WarmupRecords { get; init; } = 100_000;

    /// <summary>Give up when no record arrives for this long (consume), or when the last delivery report has not come (produce).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Further librdkafka properties, applied last (--config name=value).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];

    public const string Usage = """
        Usage: dotnet tests/AkkaStream.Kafka.Benchmarks/bin/Release/net10.0/AkkaStream.Kafka.Benchmarks.dll <produce|consume|end-to-end> [options]
          --bootstrap <host:port,..>  the brokers' Kafka listeners (default 127.0.0.1:9092)
          --topic <name>              the topic, which must exist (default kafka-bench)
          --partition <n>             the one partition written and read (default 0; end-to-end uses every partition)
          --num-records <n>           records to produce, or to consume from offset 0 (default 1000000)
          --record-size <bytes>       value size of each produced record, no key (default 100)
          --acks <0|1|all>            produce, end-to-end: acks (default 1)
          --linger-ms <ms>            produce, end-to-end: linger.ms (default 5)
          --rate <n>                  end-to-end: records sent per second (default 50000)
          --warmup-records <n>        end-to-end: records received first and left out of the latency (default 100000)
          --batch-size <bytes>        produce: batch.size (default librdkafka's, 1000000)
          --timeout-ms <ms>           give up after this long without progress (default 60000)
          --config <name=value>       any other librdkafka property; repeatable
        """;

    /// <summary>The options, or null after printing the usage (asked for, or with the reason the arguments were refused).</summary>
    public static KafkaBenchOptions? FromArguments(string[] args) => BenchArguments.Parse(args, Usage, Parse);

    /// <summary>Sets the bootstrap servers and then the --config properties on a client's configuration.</summary>
    public T Configure<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = Bootstrap;
        foreach (var (name, value) in Extra) config.Set(name, value);
        return config;
    }

    public static KafkaBenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("produce" or "consume" or "end-to-end"))
        {
            throw new ArgumentException("the first argument must be produce, consume or end-to-end");
        }
        var options = new KafkaBenchOptions { Mode = args[0] };
        var extra = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--bootstrap" => options with { Bootstrap = Value() },
                "--topic" => options with { Topic = Value() },
                "--partition" => options with { Partition = AtLeast(0, Value(), "--partition") },
                "--num-records" => options with { Records = AtLeast(1L, Value(), "--num-records") },
                "--record-size" => options with { RecordSize = AtLeast(0, Value(), "--record-size") },
                "--acks" => options with { Acks = AcksValue(Value()) },
                "--linger-ms" => options with { LingerMs = AtLeast(0, Value(), "--linger-ms") },
                "--rate" => options with { Rate = AtLeast(1, Value(), "--rate") },
                "--warmup-records" => options with { WarmupRecords = AtLeast(0L, Value(), "--warmup-records") },
                "--batch-size" => options with { BatchSize = AtLeast(1, Value(), "--batch-size") },
                "--timeout-ms" => options with { Timeout = TimeSpan.FromMilliseconds(AtLeast(1, Value(), "--timeout-ms")) },
                "--config" => AddExtra(options, extra, Value()),
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options with { Extra = extra };
    }

    private static KafkaBenchOptions AddExtra(KafkaBenchOptions options, List<KeyValuePair<string, string>> extra, string setting)
    {
        var equals = setting.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"--config takes name=value, not '{setting}'");
        extra.Add(new(setting[..equals], setting[(equals + 1)..]));
        return options;
    }

    private static string AcksValue(string text) => text is "0" or "1" or "all" or "-1"
        ? (text == "-1" ? "all" : text)
        : throw new ArgumentException($"--acks must be 0, 1 or all, not '{text}'");
}
