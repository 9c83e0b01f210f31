using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.EventLogging;

/// <summary>
/// Three brokers whose event lines are captured (see <see cref="EventLineCapture"/>): a leader's
/// crash, its replacement, the crashed broker's recovery and truncation, ISR changes and refused
/// requests each write their one line, with the fields docs/LOGS.md promises.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterEventLogTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_crashed_leader_is_replaced_and_on_restart_recovers_its_torn_tail_and_truncates_its_divergence()
    {
        // The lag time outlasts the test: the followers stay in the ISR while they do not fetch.
        await using var cluster = await ReplicatedCluster.StartAsync(output, "120s", EventLineCapture.Settings);
        var topic = await cluster.CreateTopicAsync("diverge", 3, 3);
        var victim = cluster.NotTheController();
        var p = topic.Partitions.First(x => x.Leader == victim);
        var followers = p.Replicas.Where(b => b != victim).ToArray();
        var started = await Line(cluster.Node(victim), l => l.Has("event", "leader-started") && Is(l, "diverge", p.Partition));
        Assert.Equal(p.LeaderEpoch.ToString(), started["epoch"]);
        Assert.Equal(victim.ToString(), started["broker"]);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("diverge", p.Partition, Acks.All, 10_000, "a")).Error);
        foreach (var follower in followers) await cluster.StopFetchingAsync(follower);
        // A tail no follower has: the leader's successor never sees it.
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("diverge", p.Partition, Acks.Leader, 10_000, "tail-1", "tail-2")).Error);

        await cluster.CrashAsync(victim);
        var survivor = cluster.Node(followers[0]);
        var elected = await Line(cluster.Live, l => l.Has("event", "leader-elected") && Is(l, "diverge", p.Partition));
        var state = cluster.Partition("diverge", p.Partition);
        Assert.False(elected.IsWarning);
        Assert.Equal(("broker-lost", victim.ToString(), state.Leader.ToString(), state.LeaderEpoch.ToString()),
            (elected["reason"], elected["previous-leader"], elected["leader"], elected["epoch"]));
        Assert.Equal(survivor.Metadata.Current.ControllerId.ToString(), elected["broker"]);
        Assert.Equal($"[{string.Join(",", state.Isr)}]", elected["isr"]);
        Assert.DoesNotContain(victim, state.Isr);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceOnceServedAsync(state.Leader, "diverge", p.Partition, state.LeaderEpoch, Acks.Leader, "new")).Error);
        // The new leader's entity read the partition's journal, where the crashed leader's epoch is the newest.
        var recovered = await Line(cluster.Node(state.Leader), l => l.Has("event", "partition-recovered") && Is(l, "diverge", p.Partition)
            && l.Has("epoch", state.LeaderEpoch.ToString()));
        Assert.Equal(p.LeaderEpoch.ToString(), recovered["journal-epoch"]);

        // The crash left a torn write behind: the log was not closed cleanly and ends in garbage.
        var directory = Path.Combine(cluster.Node(victim).Settings.DataDir, $"diverge-{p.Partition}");
        File.Delete(Path.Combine(directory, ".clean-shutdown"));
        File.Delete(Path.Combine(directory, "recovery-point-offset-checkpoint"));
        var segment = Directory.GetFiles(directory, "*.log").Order().Last();
        await File.AppendAllTextAsync(segment, "torn-write-garbage");
        await cluster.RestartAsync(victim);

        var recoveredLog = await Line(cluster.Node(victim), l => l.Has("event", "log-recovered") && Is(l, "diverge", p.Partition));
        Assert.Equal(("3", "3", "18", victim.ToString()),
            (recoveredLog["log-end-offset"], recoveredLog["records-recovered"], recoveredLog["truncated-bytes"], recoveredLog["broker"]));
        Assert.True(long.Parse(recoveredLog["bytes-recovered"]) > 0, recoveredLog.Text);
        Assert.Single(EventLineCapture.Of(cluster.Node(victim).System), l => l.Has("event", "log-recovered"));

        // Following the new leader, it finds its tail of the old epoch is not the leader's, and cuts it.
        var truncated = await Line(cluster.Node(victim), l => l.Has("event", "log-truncated") && Is(l, "diverge", p.Partition));
        Assert.Equal(("3", "1", "diverged", state.Leader.ToString(), state.LeaderEpoch.ToString()),
            (truncated["from"], truncated["to"], truncated["reason"], truncated["leader"], truncated["epoch"]));
        Assert.Single(EventLineCapture.Of(cluster.Node(victim).System), l => l.Has("event", "log-truncated"));
    }

    [Fact]
    public async Task Isr_changes_and_refused_requests_each_write_one_line()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", EventLineCapture.Settings);
        var controllerId = cluster.Node(1).Metadata.Current.ControllerId;
        var controllerLine = await Line(cluster.Node(controllerId), l => l.Has("event", "controller-recovered"));
        Assert.Equal(controllerId.ToString(), controllerLine["broker"]);
        var p = (await cluster.CreateTopicAsync("isr-log", 1, 3, new() { ["min.insync.replicas"] = "3" })).Partitions[0];
        var leader = cluster.Node(p.Leader);
        var follower = p.Replicas.First(b => b != p.Leader);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("isr-log", 0, Acks.All, 10_000, "a")).Error);

        await cluster.StopFetchingAsync(follower);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("isr-log", 0, Acks.Leader, 10_000, "missed")).Error);
        var shrunk = await Line(leader, l => l.Has("event", "isr-shrunk") && Is(l, "isr-log", 0));
        Assert.Equal(($"[{follower}]", "[1]", p.LeaderEpoch.ToString(), p.Leader.ToString()),
            (shrunk["replicas"], shrunk["lag-records"], shrunk["epoch"], shrunk["broker"]));
        Assert.True(long.Parse(shrunk["lag-ms"].Trim('[', ']')) >= 2000, shrunk.Text);
        Assert.DoesNotContain(follower.ToString(), shrunk["isr"]);
        Assert.Contains(follower.ToString(), shrunk["previous-isr"]);

        // Two ISR members, three required: refused, asked from another broker's system so that the client has an address.
        var other = cluster.Node(p.Replicas.First(b => b != p.Leader && b != follower));
        var produce = new ProduceRequest("isr-log", 0, Acks.All, 10_000, p.LeaderEpoch, Batches.Of("refused"));
        var gateway = other.System.ActorSelection(leader.GatewayPath);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ErrorCode.NotEnoughReplicas, (await gateway.Ask<ProduceResponse>(produce, ReplicatedCluster.Timeout)).Error);
        }
        var refused = await Line(leader, l => l.Has("event", "request-refused") && l.Has("error", "NotEnoughReplicas"));
        Assert.True(refused.IsWarning);
        Assert.Equal(("produce", "isr-log", "0", other.Cluster.SelfAddress.ToString(), p.Leader.ToString()),
            (refused["api"], refused["topic"], refused["partition"], refused["client"], refused["broker"]));
        Assert.Contains("min.insync.replicas is 3", refused["reason"]);
        // The client's retries within the window are counted, not written.
        Assert.Single(EventLineCapture.Of(leader.System), l => l.Has("event", "request-refused") && l.Has("error", "NotEnoughReplicas"));

        // A broker that does not lead refuses at its gateway.
        var notLeader = await other.Gateway.Ask<ProduceResponse>(produce with { Acks = Acks.Leader }, ReplicatedCluster.Timeout);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, notLeader.Error);
        var atGateway = await Line(other, l => l.Has("event", "request-refused") && l.Has("error", "NotLeaderOrFollower"));
        Assert.Equal(("produce", "local", other.Settings.BrokerId.ToString()), (atGateway["api"], atGateway["client"], atGateway["broker"]));

        // An administration request the controller refuses is written by the gateway that took it.
        var invalid = await other.Gateway.Ask<CreateTopicResponse>(new CreateTopicRequest("bad topic!", 1, 1, new Dictionary<string, string>()), ReplicatedCluster.Timeout);
        Assert.Equal(ErrorCode.InvalidTopicException, invalid.Error);
        var invalidLine = await Line(other, l => l.Has("event", "request-refused") && l.Has("api", "create-topic"));
        Assert.Equal(("InvalidTopicException", "bad topic!"), (invalidLine["error"], invalidLine["topic"]));

        cluster.ResumeFetching(follower);
        var expanded = await Line(leader, l => l.Has("event", "isr-expanded") && Is(l, "isr-log", 0));
        Assert.Equal($"[{follower}]", expanded["replicas"]);
        Assert.Contains(follower.ToString(), expanded["isr"]);
        Assert.Single(EventLineCapture.Of(leader.System), l => l.Has("event", "isr-shrunk"));
    }

    private static bool Is(CapturedLine line, string topic, int partition) => line.Has("topic", topic) && line.Has("partition", partition.ToString());

    private static Task<CapturedLine> Line(BrokerNode node, Func<CapturedLine, bool> match) => Line([node], match);

    /// <summary>The first line of <paramref name="nodes"/> that matches, waiting for it.</summary>
    private static Task<CapturedLine> Line(IEnumerable<BrokerNode> nodes, Func<CapturedLine, bool> match) =>
        EventLineCapture.FirstAsync(nodes.Select(n => n.System), match, Within);
}
