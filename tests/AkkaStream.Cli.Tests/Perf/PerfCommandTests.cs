using System.Globalization;
using System.Text.RegularExpressions;
using AkkaStream.Cli.Commands;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Perf;

/// <summary><c>perf produce</c> then <c>perf consume</c> against the broker-shaped ActorSystem over Akka.Remote.</summary>
public sealed class PerfCommandTests(BrokerSystem broker) : IClassFixture<BrokerSystem>
{
    private readonly CliHarness _cli = new(CliEnvironment.ConnectOwnSystem);

    private Task<CliRun> Run(params string[] args) => _cli.RunAsync([.. args, "--bootstrap", broker.Bootstrap]);

    [Fact]
    public async Task Records_produced_by_perf_produce_are_read_back_by_perf_consume()
    {
        PerfCommand.ProgressInterval = TimeSpan.FromMilliseconds(200);
        Assert.Equal(0, (await Run("topics", "create", "--topic", "perf", "--partitions", "1")).ExitCode);

        var produced = await Run("perf", "produce", "--topic", "perf", "--num-records", "3000", "--record-size", "100",
            "--acks", "1", "--linger-ms", "2", "--batch-size", "16384", "--max-outstanding", "500");
        var consumed = await Run("perf", "consume", "--topic", "perf", "--messages", "3000", "--timeout-ms", "5000");

        Assert.True(produced.ExitCode == 0, produced.Error);
        Assert.Matches(@"^3000 records sent, [\d.]+ records/sec \([\d.]+ MB/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency, [\d.]+ ms 50th, [\d.]+ ms 99th, [\d.]+ ms 99.9th\.$", produced.OutLines[0]);
        Assert.True(consumed.ExitCode == 0, consumed.Error);
        Assert.Matches(@"^3000 records received, [\d.]+ records/sec \([\d.]+ MB/sec\), 0\.29 MB in \d+ ms\.$", consumed.OutLines[0]);
    }

    [Fact]
    public async Task Consume_fails_when_the_topic_holds_fewer_records_than_asked()
    {
        await Run("topics", "create", "--topic", "perf-short", "--partitions", "1");
        await Run("perf", "produce", "--topic", "perf-short", "--num-records", "10", "--record-size", "10", "--acks", "1");

        var consumed = await Run("perf", "consume", "--topic", "perf-short", "--messages", "20", "--timeout-ms", "1000");

        Assert.Equal(ExitCodes.KafkaError, consumed.ExitCode);
        Assert.StartsWith("10 records received", consumed.OutLines[0]);
        Assert.Contains("got 10 of 20", consumed.Error);
    }

    [Fact]
    public async Task A_throughput_cap_paces_the_run()
    {
        await Run("topics", "create", "--topic", "perf-paced", "--partitions", "1");
        var started = System.Diagnostics.Stopwatch.StartNew();

        var produced = await Run("perf", "produce", "--topic", "perf-paced", "--num-records", "1000", "--record-size", "10", "--acks", "1", "--throughput", "1000");

        Assert.True(produced.ExitCode == 0, produced.Error);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(950), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task End_to_end_times_every_record_it_sent_and_skips_what_the_topic_held_before()
    {
        PerfCommand.ProgressInterval = TimeSpan.FromMilliseconds(200);
        await Run("topics", "create", "--topic", "perf-e2e", "--partitions", "3");
        // Records from before the run carry no stamp of this process: the run must start after them.
        Assert.Equal(0, (await Run("perf", "produce", "--topic", "perf-e2e", "--num-records", "500", "--record-size", "4", "--acks", "1")).ExitCode);

        var run = await Run("perf", "end-to-end", "--topic", "perf-e2e", "--num-records", "2000", "--record-size", "100",
            "--acks", "all", "--throughput", "4000", "--linger-ms", "1", "--timeout-ms", "5000");

        Assert.True(run.ExitCode == 0, run.Error);
        // The summary line, the breakdown, then the table's header and row.
        Assert.Equal(4, run.OutLines.Length);
        var summary = run.OutLines[0];
        // The topic keeps CreateTime, so the breakdown has only the producer's side.
        Assert.Matches(@"^breakdown: send -> delivery report [\d.]+ / [\d.]+ / [\d.]+ / [\d.]+ ms \(p50 / p99 / p99.9 / max\)\.$", run.OutLines[1]);
        var match = Regex.Match(summary, @"^2000 records received end to end, [\d.]+ records/sec \([\d.]+ MB/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, ([\d.]+) ms 50th, [\d.]+ ms 99th, [\d.]+ ms 99.9th\.$");
        Assert.True(match.Success, summary);
        var max = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var median = double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        // A latency measured from this run's own send times: positive, ordered, and bounded by the run itself.
        Assert.InRange(median, 0.001, max);
        Assert.True(max < 60_000, summary);
    }

    [Fact]
    public async Task End_to_end_leaves_the_warm_up_records_out_of_the_figures()
    {
        await Run("topics", "create", "--topic", "perf-e2e-warm", "--partitions", "2");

        var run = await Run("perf", "end-to-end", "--topic", "perf-e2e-warm", "--num-records", "1000", "--record-size", "20",
            "--acks", "1", "--throughput", "4000", "--linger-ms", "1", "--warmup-records", "400", "--timeout-ms", "5000");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("600 records received end to end, ", run.OutLines[0]);
    }

    [Fact]
    public async Task End_to_end_refuses_values_too_short_for_the_send_time()
    {
        var run = await Run("perf", "end-to-end", "--topic", "perf-e2e-short", "--num-records", "10", "--record-size", "7");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--record-size", run.Error);
    }
}
