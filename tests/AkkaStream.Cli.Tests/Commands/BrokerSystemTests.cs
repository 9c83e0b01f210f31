using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Commands;

/// <summary>
/// The commands against a broker-shaped ActorSystem over Akka.Remote, each run connecting its own
/// client from --bootstrap host:port as the installed command does.
/// </summary>
public sealed class BrokerSystemTests(BrokerSystem broker) : IClassFixture<BrokerSystem>
{
    private readonly CliHarness _cli = new(CliEnvironment.ConnectOwnSystem);

    private Task<CliRun> Feed(string stdin, params string[] args) => _cli.RunWithInputAsync(stdin, [.. args, "--bootstrap", broker.Bootstrap]);

    private Task<CliRun> Run(params string[] args) => Feed("", args);

    [Fact]
    public async Task Lines_produced_with_keys_are_consumed_from_the_beginning_with_keys_and_offsets()
    {
        Assert.Equal(0, (await Run("topics", "create", "--topic", "lines", "--partitions", "1")).ExitCode);

        var produced = await Feed("alice:paid\nbob:shipped\n:no key\n", "produce", "--topic", "lines",
            "--property", "parse.key=true", "--property", "key.separator=:", "--compression", "lz4");
        var consumed = await Run("consume", "--topic", "lines", "--from-beginning", "--max-messages", "3",
            "--property", "print.key=true", "--property", "print.offset=true", "--property", "key.separator=|");

        Assert.True(produced.ExitCode == 0, produced.Error);
        Assert.Equal(0, consumed.ExitCode);
        Assert.Equal(["Offset:0|alice|paid", "Offset:1|bob|shipped", "Offset:2||no key"], consumed.OutLines);
        Assert.Contains("Processed a total of 3 messages", consumed.Error);
    }

    [Fact]
    public async Task Consume_reads_every_partition_and_stops_after_the_idle_timeout()
    {
        await Run("topics", "create", "--topic", "spread", "--partitions", "2");
        var first = await Feed("a\nb\n", "produce", "--topic", "spread", "--partition", "0", "--verbose");
        await Feed("c\n", "produce", "--topic", "spread", "--partition", "1", "--acks", "1");

        var all = await Run("consume", "--topic", "spread", "--from-beginning", "--timeout-ms", "1500");
        var fromOffset = await Run("consume", "--topic", "spread", "--partition", "0", "--offset", "1", "--timeout-ms", "1000");

        Assert.Equal(["spread-0@0", "spread-0@1"], first.OutLines);
        Assert.Equal(0, all.ExitCode);
        Assert.Equal(["a", "b", "c"], all.OutLines.Order());
        Assert.Equal(["b"], fromOffset.OutLines);
    }

    [Fact]
    public async Task Topics_are_created_described_altered_listed_and_deleted()
    {
        var created = await Run("topics", "create", "--topic", "admin-orders", "--partitions", "2", "--config", "cleanup.policy=compact");
        var altered = await Run("topics", "alter", "--topic", "admin-orders", "--partitions", "3", "--config", "segment.bytes=1024", "--delete-config", "cleanup.policy");
        var described = await Run("topics", "describe", "--topic", "admin-orders");
        var listed = await Run("topics", "list");
        var deleted = await Run("topics", "delete", "--topic", "admin-orders");
        var afterDelete = await Run("topics", "describe", "--topic", "admin-orders");

        Assert.Equal("Created topic admin-orders.", created.Out.Trim());
        Assert.Equal(0, altered.ExitCode);
        Assert.Equal(4, described.OutLines.Length);
        Assert.Matches("^Topic: admin-orders\tTopicId: .*\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: segment.bytes=1024$", described.OutLines[0]);
        Assert.Equal("\tTopic: admin-orders\tPartition: 2\tLeader: 1\tLeaderEpoch: 0\tReplicas: 1\tIsr: 1", described.OutLines[3]);
        Assert.Contains("admin-orders", listed.OutLines);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(ExitCodes.KafkaError, afterDelete.ExitCode);
        Assert.StartsWith("error: UnknownTopicOrPartition: ", afterDelete.Error);
    }

    [Fact]
    public async Task A_refusal_from_the_cluster_exits_1_with_its_error_code()
    {
        await Run("topics", "create", "--topic", "twice");

        var again = await Run("topics", "create", "--topic", "twice");
        var missing = await Feed("x\n", "produce", "--topic", "no-such-topic");
        var badKey = await Feed("no separator\n", "produce", "--topic", "twice", "--property", "parse.key=true");

        Assert.Equal((1, "error: TopicAlreadyExists: Topic 'twice' already exists."), (again.ExitCode, again.Error.Trim()));
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: UnknownTopicOrPartition: ", missing.Error);
        Assert.Equal(1, badKey.ExitCode);
        Assert.StartsWith("error: InvalidRecord: line 1 has no key separator", badKey.Error);
    }
}
