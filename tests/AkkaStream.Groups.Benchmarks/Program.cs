using System.Globalization;
using Akka.Actor;
using AkkaStream.Fault.Processes;
using AkkaStream.Groups.Benchmarks;
using AkkaStream.Protocol.Messages;

// The consumer-group benchmark: commit rate on one broker (one group, then many) beside the
// journal's own rates, printed as markdown; progress goes to stderr.
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
string[] brokerSettings = ["akkastream.groups.initial-rebalance-delay = 0s", "akka.loglevel = WARNING"];
await using var cluster = await LocalCluster.StartAsync(1, TimeSpan.FromSeconds(120), brokerSettings, "akka.loglevel = ERROR");
var partitions = options.Committers * options.PartitionsPerCommit;
await cluster.Client.Admin.CreateTopicAsync(Topic, partitions, 1);
var gatewayPath = Gateway.PathFor("127.0.0.1", cluster.Broker(1).Port);
var gateway = await cluster.Client.System.ActorSelection(gatewayPath).ResolveOne(TimeSpan.FromSeconds(10));
var load = new CommitLoad(gateway, Topic, options.PartitionsPerCommit);

async Task<CommitLoad.Result> RunGroupsAsync(string prefix, int groups)
{
    var members = await Task.WhenAll(Enumerable.Range(0, groups).Select(g => load.JoinAsync($"{prefix}-{g}")));
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

Directory.Delete(scratch, recursive: true);
return 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
