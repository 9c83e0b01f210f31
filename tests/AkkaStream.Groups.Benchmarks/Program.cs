using System.Globalization;
using Akka.Actor;
using AkkaStream.Fault.Processes;
using AkkaStream.Groups.Benchmarks;
using AkkaStream.Client;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Ids;

// The consumer-group benchmark: commit rate on one broker (one group, then many) beside the
// journal's own rates, and the time a dead member's partitions wait for a new owner; printed as
// markdown, progress to stderr.
BenchmarkOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchmarkOptions.Usage);
        return 0;
    }
    options = BenchmarkOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

const string Topic = "commits";
var scratch = Directory.CreateTempSubdirectory("akkastream-groups-bench-").FullName;
Console.Error.WriteLine("measuring the journal alone...");
var journal = await JournalReference.MeasureAsync(scratch, options.Committers, options.Duration);

Console.Error.WriteLine("starting a broker...");
string[] brokerSettings = ["akkastream.groups.initial-rebalance-delay=0s", .. options.BrokerSettings];
await using var cluster = await LocalCluster.StartAsync(1, TimeSpan.FromSeconds(120), brokerSettings, "akka.loglevel = ERROR");
var partitions = options.Committers * options.PartitionsPerCommit;
await cluster.Client.Admin.CreateTopicAsync(Topic, partitions, 1);
var gatewayPath = Gateway.PathFor("127.0.0.1", cluster.Broker(1).Port);
var gateway = await cluster.Client.System.ActorSelection(gatewayPath).ResolveOne(TimeSpan.FromSeconds(10));
var load = new CommitLoad(gateway, Topic, options.PartitionsPerCommit);

async Task<CommitLoad.Result> RunGroupsAsync(string prefix, int groups)
{
    var members = await Task.WhenAll(Enumerable.Range(0, groups).Select(g => load.JoinAsync($"{prefix}-{g}")));
    Console.Error.WriteLine($"  {groups} group(s) joined");
    using var stop = new CancellationTokenSource();
    var heartbeats = members.Select(m => load.HeartbeatAsync(m, stop.Token)).ToArray();
    var result = await load.RunAsync(members, options.Committers, options.Duration);
    await stop.CancelAsync();
    await Task.WhenAll(heartbeats);
    return result;
}

Console.Error.WriteLine("warming up...");
await RunGroupsAsync("warm-up", 1);
Console.Error.WriteLine("one group...");
var one = await RunGroupsAsync("one", 1);
Console.Error.WriteLine($"{options.Groups} groups...");
var many = await RunGroupsAsync("many", options.Groups);

var failovers = new List<TimeSpan>();
if (options.FailoverRepeats > 0)
{
    Console.Error.WriteLine("member failover...");
    const string FailoverTopic = "failover";
    const int FailoverPartitions = 6;
    await cluster.Client.Admin.CreateTopicAsync(FailoverTopic, FailoverPartitions, 1);
    await using var failover = new MemberFailover(cluster.Broker(1).Endpoint, FailoverTopic, FailoverPartitions, options.SessionTimeout);
    using var stopWriting = new CancellationTokenSource();
    var writing = WriteContinuouslyAsync(cluster.Client, failover.Partitions, stopWriting.Token);
    await failover.StartAsync(3);
    for (var i = 0; i < options.FailoverRepeats; i++)
    {
        failovers.Add(await failover.KillOneAsync());
        Console.Error.WriteLine($"  partitions consumed again {failovers[^1].TotalSeconds:0.00} s after the kill");
    }
    await stopWriting.CancelAsync();
    await writing;
}

string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);
string Ratio(double value, double reference) => (value / reference).ToString("0.00", CultureInfo.InvariantCulture);

Console.WriteLine("# AkkaStream consumer-group benchmark");
Console.WriteLine();
Console.WriteLine($"Command: `dotnet run -c Release --project tests/AkkaStream.Groups.Benchmarks --{(args.Length == 0 ? "" : " " + string.Join(' ', args))}`");
Console.WriteLine();
Console.WriteLine($"One broker process (SQLite journal), {options.Committers} commit loops per group, each one request at a time, " +
    $"{options.PartitionsPerCommit} partitions per request, {options.Duration.TotalSeconds:0} s per run, load average before: {LoadAverage()}.");
Console.WriteLine();
Console.WriteLine("| run | commit requests/s | offsets/s | vs target 10,000/s | vs journal, awaited Persist | vs journal, PersistAsync |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var (name, result) in new[] { ("1 group", one), ($"{options.Groups} groups", many) })
{
    Console.WriteLine($"| {name} | {Rate(result.PerSecond)} | {Rate(result.PerSecond * options.PartitionsPerCommit)} | {Ratio(result.PerSecond, 10_000)} | " +
        $"{Ratio(result.PerSecond, journal.AwaitedPerSecond)} | {Ratio(result.PerSecond, journal.AsyncPerSecond)} |");
}
Console.WriteLine();
Console.WriteLine($"Journal alone, {options.Committers} writers: awaited Persist {Rate(journal.AwaitedPerSecond)} events/s, PersistAsync {Rate(journal.AsyncPerSecond)} events/s.");

if (failovers.Count > 0)
{
    var sorted = failovers.Order().ToArray();
    var session = options.SessionTimeout.TotalSeconds;
    Console.WriteLine();
    Console.WriteLine($"Member failover: 3 group consumers (cooperative-sticky, each its own client ActorSystem) on 6 partitions a producer keeps writing; " +
        $"one killed (ActorSystem terminated, no leave) {failovers.Count} times; session timeout {session:0.#} s, heartbeat {MemberFailover.HeartbeatInterval(options.SessionTimeout).TotalMilliseconds:0} ms (Kafka's default proportion, 3 s to 45 s).");
    Console.WriteLine();
    Console.WriteLine("| kill → its partitions consumed again | min | median | max | target (session timeout + 1 s) |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    Console.WriteLine($"| seconds | {sorted[0].TotalSeconds:0.00} | {sorted[sorted.Length / 2].TotalSeconds:0.00} | {sorted[^1].TotalSeconds:0.00} | {session + 1:0.0} |");
    Console.WriteLine($"| beyond the session timeout | {sorted[0].TotalSeconds - session:0.00} | {sorted[sorted.Length / 2].TotalSeconds - session:0.00} | {sorted[^1].TotalSeconds - session:0.00} | 1.0 |");
}

Directory.Delete(scratch, recursive: true);
return 0;

// A record to every partition every 10 ms, so that a partition's new owner has something to consume at once.
static async Task WriteContinuouslyAsync(AkkaStreamClient client, IReadOnlyList<TopicPartition> partitions, CancellationToken stop)
{
    var producer = client.CreateProducer();
    await using (producer)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var tp in partitions)
            {
                _ = producer.ProduceAsync(tp.Topic, null, [1], partition: tp.Partition);
            }
            await Task.Delay(10, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        await producer.FlushAsync();
    }
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
