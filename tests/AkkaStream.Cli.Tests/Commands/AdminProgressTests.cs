using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Cli.Tests.Commands;

/// <summary>
/// <c>topics reassign --wait</c> and <c>topics elect-leaders --wait</c> against three real brokers:
/// progress lines on standard error while the cluster works, then a result table.
/// </summary>
public sealed class AdminProgressTests(ITestOutputHelper output)
{
    private readonly CliHarness _cli = new(CliEnvironment.ConnectOwnSystem);

    [Fact]
    public async Task A_reassignment_and_a_preferred_leader_election_are_followed_until_done()
    {
        AdminWait.PollInterval = TimeSpan.FromMilliseconds(200);
        // Leadership moves back only on command here.
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", "akkastream.auto-leader-rebalance = off");
        var bootstrap = Bootstrap(cluster.Node(1));

        var moving = (await cluster.CreateTopicAsync("moving", 1, 1)).Partitions[0];
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("moving", 0, Acks.Leader, 10_000, "a", "b", "c")).Error);
        var target = moving.Replicas[0] % 3 + 1;
        var reassigned = await _cli.RunAsync("topics", "reassign", "--topic", "moving", "--partition", "0", "--replicas", $"{target}",
            "--wait", "--wait-timeout", "60", "--bootstrap", bootstrap);

        Assert.True(reassigned.ExitCode == 0, reassigned.Error);
        Assert.Equal($"Reassigning moving-0 to [{target}].", reassigned.OutLines[0]);
        Assert.Equal(["TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "STATUS"], Cells(reassigned.OutLines[1]));
        Assert.Equal(["moving", "0", $"{target}", $"{target}", $"{target}", "done"], Cells(reassigned.OutLines[2]));
        var moves = Lines(reassigned.Error);
        Assert.All(moves, l => Assert.Matches(@"^reassignment: [01]/1 partitions done, [01] catching up, [01] completing(; moving-0 waits for \[\d\] to catch up)?$", l));
        Assert.StartsWith("reassignment: 1/1 partitions done, 0 catching up, 0 completing", moves[^1]);

        // Leadership leaves a broker that crashes, and stays away when it returns.
        var topic = await cluster.CreateTopicAsync("elect", 3, 3);
        var victim = cluster.NotTheController();
        await cluster.CrashAsync(victim);
        await Eventually.True(() => topic.Partitions.All(p => cluster.Partition("elect", p.Partition).Leader != victim), TimeSpan.FromSeconds(40),
            "leadership leaves the crashed broker");
        await cluster.RestartAsync(victim);
        // Live for the controller once it is a member again: only then does leadership move to it.
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Brokers.Count == 3), TimeSpan.FromSeconds(40), "every broker sees three brokers");
        foreach (var p in topic.Partitions)
        {
            // Followers fetch from leaders that serve once asked: a write starts each.
            var state = cluster.Partition("elect", p.Partition);
            Assert.Equal(ErrorCode.None, (await cluster.ProduceOnceServedAsync(state.Leader, "elect", p.Partition, state.LeaderEpoch, Acks.Leader, "x")).Error);
        }
        await Eventually.True(() => topic.Partitions.All(p => cluster.Partition("elect", p.Partition).Isr.Contains(victim)), TimeSpan.FromSeconds(40),
            "the returned broker is back in every ISR");
        Assert.Contains(topic.Partitions, p => p.Replicas[0] == victim && cluster.Partition("elect", p.Partition).Leader != victim);

        var elected = await _cli.RunAsync("topics", "elect-leaders", "--topic", "elect", "--wait", "--wait-timeout", "60", "--bootstrap", bootstrap);

        Assert.True(elected.ExitCode == 0, elected.Out + string.Join("\n", Lines(elected.Error).TakeLast(2)) + "\n" +
            string.Join("\n", topic.Partitions.Select(p => cluster.Partition("elect", p.Partition).ToString())));
        Assert.Matches(@"^[1-3] partitions move to their preferred leaders\.$", elected.OutLines[0]);
        Assert.Equal(["TOPIC", "PARTITION", "LEADER", "PREFERRED", "ISR", "STATUS"], Cells(elected.OutLines[1]));
        Assert.Equal(3, elected.OutLines.Length - 2);
        foreach (var (line, p) in elected.OutLines[2..].Zip(topic.Partitions))
        {
            var cells = Cells(line);
            Assert.Equal(["elect", $"{p.Partition}", $"{p.Replicas[0]}", $"{p.Replicas[0]}"], cells[..4]);
            Assert.Equal("preferred", cells[5]);
        }
        var elections = Lines(elected.Error);
        Assert.All(elections, l => Assert.Matches(@"^preferred-leader election: [0-3]/3 partitions on their preferred leader, [0-3] moving, [0-3] not eligible$", l));
        Assert.Equal("preferred-leader election: 3/3 partitions on their preferred leader, 0 moving, 0 not eligible", elections[^1]);
    }

    private static string Bootstrap(BrokerNode node) => $"{node.Settings.PublicHost}:{node.Cluster.SelfAddress.Port}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
