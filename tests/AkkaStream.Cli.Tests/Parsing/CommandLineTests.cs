using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Parsing;

/// <summary>What each command's options read, and that a bad command line exits 2 without connecting.</summary>
public sealed class CommandLineTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public void Topics_create_reads_its_options()
    {
        var parsed = _cli.Parse("topics", "create", "--topic", "orders", "--partitions", "6", "--replication-factor", "3",
            "--config", "cleanup.policy=compact", "--config", "retention.ms=1000", "--bootstrap", "10.0.0.5:2552,10.0.0.6:2552");

        Assert.Empty(parsed.Errors);
        Assert.Equal("orders", parsed.GetValue<string>("--topic"));
        Assert.Equal(6, parsed.GetValue<int?>("--partitions"));
        Assert.Equal((short)3, parsed.GetValue<short?>("--replication-factor"));
        Assert.Equal(new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["retention.ms"] = "1000" },
            parsed.GetValue<IReadOnlyDictionary<string, string>>("--config"));
        Assert.Equal(["10.0.0.5:2552", "10.0.0.6:2552"], parsed.GetValue<IReadOnlyList<string>>("--bootstrap"));
    }

    [Fact]
    public void Bootstrap_defaults_to_the_single_node_broker_and_takes_kafkas_spelling()
    {
        Assert.Equal([CommonOptions.DefaultBootstrap], _cli.Parse("topics", "list").GetValue<IReadOnlyList<string>>("--bootstrap"));
        Assert.Equal(["h:1"], _cli.Parse("cluster", "status", "--bootstrap-server", "h:1").GetValue<IReadOnlyList<string>>("--bootstrap"));
    }

    [Fact]
    public void Topics_alter_reads_repeated_settings_and_removals()
    {
        var parsed = _cli.Parse("topics", "alter", "--topic", "t", "--partitions", "4", "--config", "a=1", "--delete-config", "b", "--delete-config", "c");

        Assert.Empty(parsed.Errors);
        Assert.Equal(4, parsed.GetValue<int?>("--partitions"));
        Assert.Equal(["b", "c"], parsed.GetValue<string[]>("--delete-config")!);
    }

    [Fact]
    public void Topics_reassign_reads_the_target_replicas_in_order()
    {
        var parsed = _cli.Parse("topics", "reassign", "--topic", "t", "--partition", "2", "--replicas", "3, 2");

        Assert.Empty(parsed.Errors);
        Assert.Equal(2, parsed.GetValue<int>("--partition"));
        Assert.Equal([3, 2], parsed.GetValue<int[]>("--replicas")!);
        Assert.Empty(_cli.Parse("topics", "reassignments", "--topic", "t").Errors);
    }

    [Fact]
    public void Topics_reassign_cancel_needs_no_replicas()
    {
        var parsed = _cli.Parse("topics", "reassign", "--topic", "t", "--partition", "2", "--cancel");

        Assert.Empty(parsed.Errors);
        Assert.True(parsed.GetValue<bool>("--cancel"));
    }

    [Fact]
    public void Produce_reads_its_options()
    {
        var parsed = _cli.Parse("produce", "--topic", "t", "--partition", "2", "--property", "parse.key=true", "--property", "key.separator=:",
            "--acks", "1", "--compression", "zstd", "--verbose");

        Assert.Empty(parsed.Errors);
        Assert.Equal(2, parsed.GetValue<int?>("--partition"));
        Assert.Equal("1", parsed.GetValue<string>("--acks"));
        Assert.Equal("zstd", parsed.GetValue<string>("--compression"));
        Assert.True(parsed.GetValue<bool>("--verbose"));
        Assert.Equal("all", _cli.Parse("produce", "--topic", "t").GetValue<string>("--acks"));
    }

    [Fact]
    public void Consume_reads_its_options()
    {
        var parsed = _cli.Parse("consume", "--topic", "t", "--partition", "0", "--offset", "17", "--max-messages", "5", "--timeout-ms", "2000",
            "--property", "print.key=true", "--property", "print.offset=true");

        Assert.Empty(parsed.Errors);
        Assert.Equal(StartOffset.At(17), parsed.GetValue<StartOffset?>("--offset"));
        Assert.Equal(5, parsed.GetValue<int?>("--max-messages"));
        Assert.Equal(2000, parsed.GetValue<int?>("--timeout-ms"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("topics")]
    [InlineData("topics create")]
    [InlineData("topics create --topic t --partitions 0")]
    [InlineData("topics create --topic t --partitions many")]
    [InlineData("topics create --topic t --config retention.ms")]
    [InlineData("topics alter --topic t")]
    [InlineData("topics delete")]
    [InlineData("topics reassign --topic t --partition 0")]
    [InlineData("topics reassign --topic t --partition 0 --replicas 1,2 --cancel")]
    [InlineData("topics reassign --topic t --replicas 1,2")]
    [InlineData("topics reassign --topic t --partition 0 --replicas 1,x")]
    [InlineData("topics reassign --topic t --partition 0 --replicas -1")]
    [InlineData("topics list --bootstrap nowhere")]
    [InlineData("topics list --bootstrap h:99999")]
    [InlineData("topics list --unknown")]
    [InlineData("produce --topic t --acks 2")]
    [InlineData("produce --topic t --compression brotli")]
    [InlineData("produce --topic t --property parse.key=yes")]
    [InlineData("produce --topic t --property print.key=true")]
    [InlineData("produce --topic t --property key.separator=")]
    [InlineData("consume --topic t --from-beginning --offset 3 --partition 0")]
    [InlineData("consume --topic t --offset 3")]
    [InlineData("consume --topic t --offset soon")]
    [InlineData("consume --topic t --max-messages 0")]
    [InlineData("consume --topic t --property parse.key=true")]
    [InlineData("cluster")]
    [InlineData("cluster status extra")]
    [InlineData("cluster leave")]
    [InlineData("cluster down 3 4")]
    public async Task Bad_usage_exits_2_and_says_why_on_stderr(string line)
    {
        var run = await _cli.RunAsync(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.StartsWith("usage error: ", run.Error);
        Assert.Equal("", run.Out);
        Assert.Null(_cli.LastBootstrap);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        var run = await _cli.RunAsync("consume", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--from-beginning", run.Out);
    }
}
