using AkkaStream.Client.Configuration;
using AkkaStream.Fault.Benchmarks;
using AkkaStream.Fault.Processes;
using AkkaStream.Fault.Workload;
using AkkaStream.Protocol.Messages;

// The failover benchmark: three broker processes, kill -9 of a partition leader and of the
// controller's broker, times printed as markdown. Progress goes to stderr.
FailoverOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(FailoverOptions.Usage);
        return 0;
    }
    options = FailoverOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(FailoverOptions.Usage);
    return 2;
}

const string Topic = "failover";
const int Partitions = 3;
// A short request timeout, so that a produce request lost with the killed leader is retried
// after 1 s rather than after the default 30 s: what is timed is the cluster, not the client's patience.
// The client's own warnings (every request the dead broker does not answer) would drown the progress lines.
const string ClientConfig = """
    akka.loglevel = ERROR
    akkastream.client {
      request-timeout = 1s
      retry-backoff = 50ms
      retry-backoff-max = 200ms
      metadata-max-age = 5s
      producer { acks = all, delivery-timeout = 300s, linger = 0ms }
    }
    """;

Console.Error.WriteLine("starting 3 brokers...");
await using var cluster = await LocalCluster.StartAsync(3, TimeSpan.FromSeconds(120), options.BrokerOverrides, ClientConfig);
await cluster.Client.Admin.CreateTopicAsync(Topic, Partitions, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
var producer = cluster.Client.CreateProducer(cluster.Client.Settings.Producer with { Acks = Acks.All });
var workload = new ProducerWorkload(producer, Topic, Partitions, window: 1);
workload.Start();
var benchmark = new FailoverBenchmark(cluster, workload, Topic, options);

var leaderSamples = new List<FailoverSample>();
var controllerSamples = new List<FailoverSample>();
for (var i = 0; i < options.Repeats; i++)
{
    leaderSamples.Add(await benchmark.KillLeaderAsync());
    Console.Error.WriteLine($"leader kill {i + 1}: {Describe(leaderSamples[^1])}");
    controllerSamples.Add(await benchmark.KillControllerAsync());
    Console.Error.WriteLine($"controller kill {i + 1}: {Describe(controllerSamples[^1])}");
}
await workload.StopAsync();
await producer.CloseAsync();

Console.WriteLine("# AkkaStream failover benchmark");
Console.WriteLine();
Console.WriteLine($"Command: `dotnet run -c Release --project tests/AkkaStream.Fault.Benchmarks --{(args.Length == 0 ? "" : " " + string.Join(' ', args))}`");
Console.WriteLine();
Console.WriteLine($"3 broker processes on 127.0.0.1 from hocon/node-1..3.conf{(options.BrokerOverrides.Count == 0 ? "" : " with " + string.Join(", ", options.BrokerOverrides))}; " +
    $"topic `{Topic}`: {Partitions} partitions, replication factor 3, min.insync.replicas=2; one acks=all record in flight per partition; " +
    $"{Environment.ProcessorCount} cores. Times from kill -9; a failover not done in {options.GiveUpAfter.TotalSeconds:F0} s counts as none.");
Console.WriteLine();
Console.WriteLine("| failover | target | median | min | max | samples |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
Console.WriteLine(Row("partition leader killed → acks=all write accepted by the new leader", "≤ 6 s", [.. leaderSamples.Where(s => !s.AlsoController)]));
Console.WriteLine(Row("controller's broker killed → new controller serves admin requests", "≤ 15 s", controllerSamples));
Console.WriteLine();
foreach (var sample in leaderSamples.Concat(controllerSamples))
{
    Console.WriteLine($"- killed {sample.Killed}: {Describe(sample)}{(sample.AlsoController ? " (left out of the leader row)" : "")}");
}
return 0;

static string Describe(FailoverSample s) => s.Took is { } t ? $"{t.TotalSeconds:F2} s" : "no failover";

static string Row(string name, string target, IReadOnlyList<FailoverSample> samples)
{
    var done = samples.Where(s => s.Took is not null).Select(s => s.Took!.Value.TotalSeconds).Order().ToList();
    var missed = samples.Count - done.Count;
    string Seconds(double v) => $"{v:F1} s";
    return done.Count == 0
        ? $"| {name} | {target} | none | | | 0 of {samples.Count} failed over |"
        : $"| {name} | {target} | {Seconds(done[done.Count / 2])} | {Seconds(done[0])} | {Seconds(done[^1])} | {done.Count}{(missed == 0 ? "" : $" ({missed} did not fail over)")} |";
}
