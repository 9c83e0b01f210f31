using AkkaStream.Broker.Tests.Support;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Commands;

/// <summary><c>cluster status|members|leave|down</c> against a real broker over Akka.Remote.</summary>
public sealed class ClusterCommandTests(RealBroker broker) : IClassFixture<RealBroker>
{
    private readonly CliHarness _cli = new(CliEnvironment.ConnectOwnSystem);

    private Task<CliRun> Run(RealBroker target, params string[] args) => _cli.RunAsync([.. args, "--bootstrap", target.Bootstrap]);

    private string Address => broker.Node.Cluster.SelfAddress.ToString();

    [Fact]
    public async Task Members_lists_the_broker_with_its_status_reachability_roles_and_hosted_entities()
    {
        Assert.Equal(0, (await Run(broker, "topics", "create", "--topic", "cli-members", "--partitions", "2")).ExitCode);
        Assert.Equal(0, (await _cli.RunWithInputAsync("a\n", "produce", "--topic", "cli-members", "--partition", "0", "--bootstrap", broker.Bootstrap)).ExitCode);
        Assert.Equal(0, (await _cli.RunWithInputAsync("b\n", "produce", "--topic", "cli-members", "--partition", "1", "--bootstrap", broker.Bootstrap)).ExitCode);

        CliRun run = null!;
        await Eventually.True(async () =>
        {
            run = await Run(broker, "cluster", "members");
            return run.ExitCode == 0 && run.OutLines.Length == 2 && System.Text.RegularExpressions.Regex.IsMatch(run.OutLines[1], @"reachable +[2-9]");
        }, TimeSpan.FromSeconds(30), "the broker's partition entities are counted");

        Assert.Matches("^BROKER +ADDRESS +STATUS +REACHABILITY +PARTITIONS +GROUPS +ROLES$", run.OutLines[0]);
        Assert.Matches($"^1 +{System.Text.RegularExpressions.Regex.Escape(Address)} \\(leader, oldest, controller\\) +Up +reachable +[2-9]\\d* +\\d+ +broker,broker-id-1,(http-listener=127\\.0\\.0\\.1:\\d+,)?kafka-listener=127\\.0\\.0\\.1:\\d+$",
            run.OutLines[1]);
    }

    [Fact]
    public async Task Status_adds_the_leader_the_oldest_the_controller_and_the_regions_to_the_brokers()
    {
        // A region answers for itself only once it has registered with its shard coordinator, which
        // starts on its own after the broker does; until then the command names it as not answering.
        CliRun run = null!;
        await Eventually.True(async () =>
        {
            run = await Run(broker, "cluster", "status");
            return run.ExitCode == 0 && !run.Out.Contains("No statistics from", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "both shard regions answer with their statistics");

        var lines = run.OutLines;
        Assert.Equal("Controller: 1", lines[1]);
        Assert.StartsWith($"Broker: 1\tGateway: {broker.Node.GatewayPath}\tKafka: ", lines[2]);
        Assert.Equal("Members: 1 (1 Up, 0 unreachable)", lines[3]);
        Assert.Equal($"Leader: {Address}", lines[4]);
        Assert.Equal($"Oldest: {Address}", lines[5]);
        Assert.Equal($"Controller location: broker 1 at {Address}", lines[6]);
        Assert.Matches("^REGION +BROKER +ADDRESS +SHARDS +ENTITIES$", lines[7]);
        Assert.Matches($"^group +1 +{System.Text.RegularExpressions.Regex.Escape(Address)} +\\d+ +\\d+$", lines[8]);
        Assert.Matches($"^partition +1 +{System.Text.RegularExpressions.Regex.Escape(Address)} +\\d+ +\\d+$", lines[9]);
    }

    [Fact]
    public async Task Down_refuses_a_reachable_member_and_an_unknown_one_is_named()
    {
        var reachable = await Run(broker, "cluster", "down", "1");
        var unknown = await Run(broker, "cluster", "leave", "127.0.0.1:1");

        Assert.Equal(ExitCodes.KafkaError, reachable.ExitCode);
        Assert.StartsWith($"error: InvalidRequest: {Address} is reachable (Up)", reachable.Error);
        Assert.Equal(ExitCodes.KafkaError, unknown.ExitCode);
        Assert.StartsWith("error: BrokerNotAvailable: no member of the cluster is '127.0.0.1:1'", unknown.Error);
    }

    [Fact]
    public async Task Leave_by_address_makes_the_broker_leave_and_stop()
    {
        var leaving = new RealBroker();
        await leaving.InitializeAsync();
        try
        {
            var address = leaving.Node.Cluster.SelfAddress.ToString();

            var run = await Run(leaving, "cluster", "leave", address);

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal($"{address} is leaving the cluster.", run.Out.Trim());
            await leaving.Node.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await leaving.DisposeAsync();
        }
    }
}
