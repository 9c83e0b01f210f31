using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Commands;

/// <summary>
/// <c>groups</c> against a real broker: offsets committed by a reset, listed, described with lag,
/// shifted in a dry run, deleted; a live member described with its host and client id.
/// </summary>
public sealed class GroupsCommandTests(RealBroker broker) : IClassFixture<RealBroker>
{
    private readonly CliHarness _cli = new(CliEnvironment.ConnectOwnSystem);

    private Task<CliRun> Feed(string stdin, params string[] args) => _cli.RunWithInputAsync(stdin, [.. args, "--bootstrap", broker.Bootstrap]);

    private Task<CliRun> Run(params string[] args) => Feed("", args);

    [Fact]
    public async Task A_groups_offsets_are_reset_listed_described_with_lag_and_deleted()
    {
        Assert.Equal(0, (await Run("topics", "create", "--topic", "cli-orders", "--partitions", "2")).ExitCode);
        await Eventually.True(() => broker.Node.Metadata.Current.Partition("cli-orders", 1) is { Leader: 1 }, because: "the topic has leaders");
        Assert.Equal(0, (await Feed("a\nb\nc\n", "produce", "--topic", "cli-orders", "--partition", "0")).ExitCode);
        Assert.Equal(0, (await Feed("d\n", "produce", "--topic", "cli-orders", "--partition", "1")).ExitCode);

        var reset = await Run("groups", "reset-offsets", "--group", "cli-audit", "--topic", "cli-orders", "--to-offset", "1", "--execute");
        var listed = await Run("groups", "list", "--state");
        var described = await Run("groups", "describe", "--group", "cli-audit");
        var shifted = await Run("groups", "reset-offsets", "--group", "cli-audit", "--all-topics", "--shift-by", "-5", "--dry-run");
        var unchanged = await Run("groups", "describe", "--group", "cli-audit");
        var deleted = await Run("groups", "delete", "--group", "cli-audit");
        var again = await Run("groups", "delete", "--group", "cli-audit");

        Assert.True(reset.ExitCode == 0, reset.Error);
        Assert.Equal(
        [
            "GROUP      TOPIC       PARTITION  CURRENT-OFFSET  NEW-OFFSET",
            "cli-audit  cli-orders  0          -               1",
            "cli-audit  cli-orders  1          -               1",
        ], reset.OutLines);
        Assert.Equal("Committed 2 offset(s).", reset.Error.Trim());
        // Other tests' groups on the same broker may widen the columns.
        Assert.Contains(listed.OutLines, line => Cells(line).SequenceEqual(["cli-audit", "-", "Empty"]));
        Assert.Equal(
        [
            "Group: cli-audit\tState: Empty\tProtocol: -\tMembers: 0",
            "GROUP      TOPIC       PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID",
            "cli-audit  cli-orders  0          1               3               2    -",
            "cli-audit  cli-orders  1          1               1               0    -",
        ], described.OutLines);
        Assert.Equal(
        [
            "GROUP      TOPIC       PARTITION  CURRENT-OFFSET  NEW-OFFSET",
            "cli-audit  cli-orders  0          1               0",
            "cli-audit  cli-orders  1          1               0",
        ], shifted.OutLines);
        Assert.Equal("Dry run: nothing was committed.", shifted.Error.Trim());
        Assert.Equal(described.OutLines, unchanged.OutLines);
        Assert.Equal("Deleted group cli-audit.", deleted.Out.Trim());
        Assert.Equal(ExitCodes.KafkaError, again.ExitCode);
        Assert.StartsWith("error: GroupIdNotFound: ", again.Error);
    }

    [Fact]
    public async Task Describe_members_shows_an_actor_client_members_host_and_configured_client_id()
    {
        Assert.Equal(0, (await Run("topics", "create", "--topic", "cli-members", "--partitions", "1")).ExitCode);
        await using var client = ClientFor.Create([broker.Node], "akkastream.client.client-id = \"cli-reader\"");
        await using var consumer = client.CreateGroupConsumer("cli-members-group");
        consumer.Subscribe(["cli-members"]);
        await Eventually.True(async () =>
        {
            await consumer.PollAsync(TimeSpan.FromMilliseconds(200));
            return consumer.Assignment.Count == 1;
        }, TimeSpan.FromSeconds(60), "the member is assigned the topic's partition");
        var memberId = (await consumer.MembershipAsync()).MemberId;

        var described = await Run("groups", "describe", "--group", "cli-members-group", "--members");

        Assert.True(described.ExitCode == 0, described.Error);
        Assert.Equal(["GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"], Cells(described.OutLines[1]));
        Assert.Equal(["cli-members-group", memberId, "-", "/127.0.0.1", "cli-reader", "1", "cli-members(0)"], Cells(described.OutLines[2]));
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Resetting_a_topic_that_does_not_exist_fails_with_its_error()
    {
        var run = await Run("groups", "reset-offsets", "--group", "cli-none", "--topic", "no-such-topic", "--to-earliest", "--dry-run");

        Assert.Equal(ExitCodes.KafkaError, run.ExitCode);
        Assert.StartsWith("error: UnknownTopicOrPartition: ", run.Error);
    }
}
