using Akka.Actor;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>
/// Fencing over a real network partition: the leader's broker is cut off from the others by
/// Akka.Remote's throttler (messages dropped both ways, the broker still running and still taking
/// requests), not stopped, so that the deposed leader is alive and believes it leads.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NetworkPartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ReplicatedCluster.Timeout;

    [Fact]
    public async Task A_cut_off_leader_acknowledges_nothing_and_once_the_network_heals_it_truncates_its_tail_and_follows()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", ReplicatedCluster.PartitionableNetwork);
        var victim = cluster.NotTheController();
        var survivor = new[] { 1, 2, 3 }.First(b => b != victim);
        var topic = await cluster.CreateTopicAsync("fenced", 3, 3, new() { ["min.insync.replicas"] = "2" });
        var p = topic.Partitions.First(x => x.Leader == victim).Partition;
        var acknowledged = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("fenced", p, Acks.All, 10_000, $"before-{i}")).Error);
            acknowledged.Add($"before-{i}");
        }
        var before = cluster.Partition("fenced", p);
        PartitionState SurvivorsView() => cluster.Node(survivor).Metadata.Current.Partition("fenced", p)!;

        await cluster.CutOffAsync(victim);
        // A producer that knows only the old leader keeps writing to it with acks=all, until the
        // others have elected a new leader and a little longer: none of it may be acknowledged.
        var refusals = new Dictionary<ErrorCode, int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var n = 0; n < 3 || SurvivorsView().LeaderEpoch == before.LeaderEpoch; n++)
        {
            Assert.True(DateTime.UtcNow < deadline, "the survivors elect a new leader");
            var write = await WriteToOldLeader(cluster, victim, p, before.LeaderEpoch, $"cut-{n}");
            refusals[write.Error] = refusals.GetValueOrDefault(write.Error) + 1;
        }
        var after = SurvivorsView();
        cluster.Log($"old leader refused with {string.Join(", ", refusals.Select(kv => $"{kv.Key} x{kv.Value}"))}; "
            + $"new leader {after.Leader} epoch {after.LeaderEpoch} ISR [{string.Join(",", after.Isr)}]");
        Assert.NotEqual(victim, after.Leader);
        Assert.DoesNotContain(victim, after.Isr);
        Assert.True(after.LeaderEpoch > before.LeaderEpoch);
        // The old leader appended those writes (it cannot know better): an uncommitted tail.
        Assert.True(cluster.LogEnd(victim, "fenced", p) > acknowledged.Count);

        // The new leader takes acks=all writes with the other survivor, while the old one is still cut off.
        for (var i = 0; i < 10; i++)
        {
            var written = await cluster.ProduceOnceServedAsync(after.Leader, "fenced", p, after.LeaderEpoch, Acks.All, $"after-{i}");
            Assert.Equal(ErrorCode.None, written.Error);
            acknowledged.Add($"after-{i}");
        }
        Assert.NotEqual(ErrorCode.None, (await WriteToOldLeader(cluster, victim, p, before.LeaderEpoch, "cut-last")).Error);

        await cluster.HealAsync(victim);
        await Eventually.True(() => cluster.Node(victim).Metadata.Current.Partition("fenced", p)!.LeaderEpoch >= after.LeaderEpoch,
            TimeSpan.FromSeconds(30), "the old leader's broker learns the newer epoch");
        await Eventually.True(() => SurvivorsView().Isr.Contains(victim), TimeSpan.FromSeconds(60),
            () => $"the old leader follows and rejoins the ISR; ISR [{string.Join(",", SurvivorsView().Isr)}]");
        // A write to the old leader is refused now (its broker no longer leads; the new leader would fence the old epoch).
        var stale = await cluster.Node(victim).Gateway.Ask<ProduceResponse>(
            new ProduceRequest("fenced", p, Acks.All, 5000, before.LeaderEpoch, Batches.Of("stale")), Timeout);
        Assert.True(stale.Error is ErrorCode.NotLeaderOrFollower or ErrorCode.FencedLeaderEpoch, $"{stale.Error} {stale.ErrorMessage}");

        // Every replica holds the same bytes, and every acknowledged record exactly once; the cut-off tail is gone.
        var leader = cluster.Partition("fenced", p).Leader;
        await Eventually.True(() => new[] { 1, 2, 3 }.All(b => cluster.LogEnd(b, "fenced", p) == cluster.LogEnd(leader, "fenced", p)),
            TimeSpan.FromSeconds(30), "every replica reaches the leader's log end");
        var leaderLog = cluster.ReplicaLog(leader, "fenced", p);
        Assert.Equal(acknowledged, leaderLog.Records.Select(r => r.Value));
        Assert.Equal(Enumerable.Range(0, acknowledged.Count).Select(o => (long)o), leaderLog.Records.Select(r => r.Offset));
        foreach (var broker in new[] { 1, 2, 3 }) Assert.Equal(leaderLog.Bytes, cluster.ReplicaLog(broker, "fenced", p).Bytes);
        var committed = await cluster.Node(leader).Gateway.Ask<ListOffsetsResponse>(new ListOffsetsRequest("fenced", p, ListOffsetsRequest.Latest, -1), Timeout);
        Assert.Equal(acknowledged.Count, committed.Offset);
    }

    /// <summary>An acks=all write sent to the old leader's broker, which still routes it to the old leader entity.</summary>
    private static async Task<ProduceResponse> WriteToOldLeader(ReplicatedCluster cluster, int victim, int partition, int epoch, string value)
    {
        var response = await cluster.Node(victim).Gateway.Ask<ProduceResponse>(
            new ProduceRequest("fenced", partition, Acks.All, 1000, epoch, Batches.Of(value)), Timeout);
        Assert.True(response.Error is ErrorCode.RequestTimedOut or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend,
            $"the cut-off leader answered {value} with {response.Error} {response.ErrorMessage}");
        return response;
    }
}
