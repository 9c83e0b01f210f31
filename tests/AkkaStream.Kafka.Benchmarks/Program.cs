using AkkaStream.Kafka.Benchmarks;

// The Kafka listener's throughput benchmark: Confluent.Kafka against a running broker. The summary
// line goes to standard output; the exit code is 1 when any record failed or was not read.
if (KafkaBenchOptions.FromArguments(args) is not { } options)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}
var result = options.Mode == "produce" ? ProduceBenchmark.Run(options) : ConsumeBenchmark.Run(options);
Console.WriteLine(result);
return result.Failed == 0 && result.Records == options.Records ? 0 : 1;
