using AkkaStream.Client.Configuration;
using AkkaStream.Fault.Benchmarks;
using AkkaStream.Fault.Faults;
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
// Every kill is followed by a restart and a wait for all ISRs to be full, so each sample starts from three in-sync brokers.
var faults = new FaultInjector(cluster, workload, Topic,
    FaultTimings.Default with { LeaderFailoverWait = options.GiveUpAfter, ControllerFailoverWait = options.GiveUpAfter },
    line => Console.Error.WriteLine(line));
Console.Error.WriteLine($"writing{await faults.WaitIsrFullAsync()}");
var leaderSamples = new List<InjectedFault>();
var controllerSamples = new List<InjectedFault>();
string? abandoned = null;
try
{
    for (var i = 0; i < options.Repeats; i++)
    {
        leaderSamples.Add(await faults.KillLeaderAsync());
        controllerSamples.Add(await faults.KillControllerBrokerAsync());
    }
}
catch (TimeoutException e)
{
    // The cluster did not heal within its bound: what was measured so far still gets printed.
    abandoned = e.Message;
}
if (abandoned is null)
{
    // Not after a failed heal: records stuck on an offline partition would hold this for the delivery timeout.
    await workload.StopAsync();
    await producer.CloseAsync();
}

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
Console.WriteLine(Row("the same leader kills → acks=all write accepted by every partition the killed broker followed", "–",
    [.. leaderSamples.Where(s => !s.AlsoController).Select(s => s with { Failover = s.FollowedWait })]));
Console.WriteLine();
if (abandoned is not null)
{
    Console.WriteLine($"**The run stopped early**: {abandoned} (broker logs: {cluster.ScratchRoot}/logs with AKKASTREAM_KEEP_SCRATCH=1).");
    Console.WriteLine();
}
foreach (var sample in leaderSamples.Concat(controllerSamples))
{
    var followed = sample.FollowedWait is { } f ? $"; the partitions it followed after {f.TotalSeconds:F2} s" : "";
    Console.WriteLine($"- {sample.Fault}: {(sample.Failover is { } t ? $"{t.TotalSeconds:F2} s" : "no failover")}{followed}{(sample.AlsoController ? " (left out of the leader row)" : "")}");
}
return abandoned is null ? 0 : 1;

static string Row(string name, string target, IReadOnlyList<InjectedFault> samples)
{
    var done = samples.Where(s => s.Failover is not null).Select(s => s.Failover!.Value.TotalSeconds).Order().ToList();
    var missed = samples.Count - done.Count;
    string Seconds(double v) => $"{v:F1} s";
    return done.Count == 0
        ? $"| {name} | {target} | none | | | 0 of {samples.Count} failed over |"
        : $"| {name} | {target} | {Seconds(done[done.Count / 2])} | {Seconds(done[0])} | {Seconds(done[^1])} | {done.Count}{(missed == 0 ? "" : $" ({missed} did not fail over)")} |";
}
