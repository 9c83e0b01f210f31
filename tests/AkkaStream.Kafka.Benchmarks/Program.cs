using AkkaStream.Kafka.Benchmarks;

// The Kafka listener's throughput benchmark: Confluent.Kafka against a running broker. The summary
// line goes to standard output; the exit code is 1 when any record failed or was not read.
KafkaBenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(KafkaBenchOptions.Usage);
        return 0;
    }
    options = KafkaBenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(KafkaBenchOptions.Usage);
    return 2;
}

var result = options.Mode == "produce" ? ProduceBenchmark.Run(options) : ConsumeBenchmark.Run(options);
Console.WriteLine(result);
return result.Failed == 0 && result.Records == options.Records ? 0 : 1;
