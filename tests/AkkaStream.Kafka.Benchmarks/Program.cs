using AkkaStream.Benchmarks;
using AkkaStream.Kafka.Benchmarks;

// The Kafka listener's benchmark: Confluent.Kafka against running brokers. The summary line (and
// for end-to-end the latency line) goes to standard output; the exit code is 1 when any record
// failed or was not read.
if (KafkaBenchOptions.FromArguments(args) is not { } options)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}
var (result, latency) = options.Mode switch
{
    "produce" => (ProduceBenchmark.Run(options), null),
    "consume" => (ConsumeBenchmark.Run(options), null),
    _ => EndToEndBenchmark.Run(options),
};
Console.WriteLine(result);
if (latency is not null) Console.WriteLine(latency);
return result.Failed == 0 && result.Records == options.Records ? 0 : 1;
