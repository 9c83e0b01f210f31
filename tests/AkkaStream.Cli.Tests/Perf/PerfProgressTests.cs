using System.Globalization;
using System.Text.RegularExpressions;
using AkkaStream.Cli.Commands;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Perf;

/// <summary>
/// <c>perf produce</c> and <c>perf consume</c> against a real broker: a progress line per interval on
/// standard error (not a terminal here), and the summary table after the one-line summary, with the
/// same figures as that line.
/// </summary>
public sealed class PerfProgressTests(RealBroker broker) : IClassFixture<RealBroker>
{
    private const string Number = @"[\d.]+";

    private readonly CliHarness _cli = new(CliEnvironment.ConnectOwnSystem);

    private Task<CliRun> Run(params string[] args) => _cli.RunAsync([.. args, "--bootstrap", broker.Bootstrap]);

    [Fact]
    public async Task Produce_reports_progress_and_ends_with_a_table_of_the_summary_figures()
    {
        PerfCommand.ProgressInterval = TimeSpan.FromMilliseconds(100);
        Assert.Equal(0, (await Run("topics", "create", "--topic", "perf-table", "--partitions", "1")).ExitCode);

        // Paced to last at least half a second: several progress intervals.
        var produced = await Run("perf", "produce", "--topic", "perf-table", "--num-records", "2000", "--record-size", "100",
            "--acks", "1", "--throughput", "4000");

        Assert.True(produced.ExitCode == 0, produced.Error);
        var progress = Lines(produced.Error);
        Assert.NotEmpty(progress);
        var done = progress.Select(line =>
        {
            var match = Regex.Match(line, $@"^\[(\d+)/2000 (\d+)%\] \d+ records sent, {Number} records/sec \({Number} MB/sec\), {Number} ms avg latency, {Number} ms max latency\.$");
            Assert.True(match.Success, line);
            Assert.Equal(long.Parse(match.Groups[1].Value) * 100 / 2000, long.Parse(match.Groups[2].Value));
            return long.Parse(match.Groups[1].Value);
        }).ToList();
        Assert.Equal(done.Order(), done);

        var summary = Regex.Match(produced.OutLines[0],
            $@"^2000 records sent, ({Number}) records/sec \(({Number}) MB/sec\), ({Number}) ms avg latency, ({Number}) ms max latency, ({Number}) ms 50th, ({Number}) ms 99th, ({Number}) ms 99.9th\.$");
        Assert.True(summary.Success, produced.Out);
        Assert.Equal(3, produced.OutLines.Length);
        Assert.Equal(["RECORDS", "MB", "RECORDS/S", "MB/S", "AVG", "MS", "P50", "MS", "P95", "MS", "P99", "MS", "P99.9", "MS", "MAX", "MS"], Cells(produced.OutLines[1]));
        var row = Cells(produced.OutLines[2]);
        // 2000 values of 100 bytes, no keys.
        Assert.Equal(["2000", "0.19"], row[..2]);
        // The same run, the same figures: rates, average, median, tail and maximum agree with the line.
        Assert.Equal(
            [summary.Groups[1].Value, summary.Groups[2].Value, summary.Groups[3].Value, summary.Groups[5].Value, summary.Groups[6].Value, summary.Groups[7].Value, summary.Groups[4].Value],
            [row[2], row[3], row[4], row[5], row[7], row[8], row[9]]);
        var latencies = row[4..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(latencies[1] <= latencies[2] && latencies[2] <= latencies[3] && latencies[3] <= latencies[4] && latencies[4] <= latencies[5],
            produced.OutLines[2]);
        Assert.True(latencies[1] > 0, produced.OutLines[2]);

        var consumed = await Run("perf", "consume", "--topic", "perf-table", "--messages", "2000", "--timeout-ms", "5000");
        Assert.True(consumed.ExitCode == 0, consumed.Error);
        Assert.All(Lines(consumed.Error), line => Assert.Matches($@"^\[\d+/2000 \d+%\] \d+ records received, {Number} records/sec \({Number} MB/sec\)\.$", line));
        var consumeSummary = Regex.Match(consumed.OutLines[0], $@"^2000 records received, ({Number}) records/sec \(({Number}) MB/sec\), 0\.19 MB in \d+ ms\.$");
        Assert.True(consumeSummary.Success, consumed.Out);
        Assert.Equal(["RECORDS", "MB", "RECORDS/S", "MB/S"], Cells(consumed.OutLines[1]));
        Assert.Equal(["2000", "0.19", consumeSummary.Groups[1].Value, consumeSummary.Groups[2].Value], Cells(consumed.OutLines[2]));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
