using AkkaStream.Peer.Benchmarks;

// AkkaStream's peers, measured as AkkaStream's own end-to-end benchmark measures it. The summary
// and latency lines go to standard output; the exit code is 1 when any message failed or was not read.
if (NatsBenchOptions.FromArguments(args) is not { } options)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}
var (result, latency) = await NatsEndToEndBenchmark.RunAsync(options);
Console.WriteLine(result);
Console.WriteLine(latency);
return result.Failed == 0 && result.Records == options.Records ? 0 : 1;
