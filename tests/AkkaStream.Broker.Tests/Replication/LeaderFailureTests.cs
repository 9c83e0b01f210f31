using Akka.Actor;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>
/// A leader's broker crashes (its ActorSystem terminates without leaving): the controller elects
/// from the ISR, or with unclean election from any replica; a returning replica truncates its
/// log where it diverged from the new leader's.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ReplicatedCluster.Timeout;

    [Fact]
    public async Task A_new_leader_from_the_isr_serves_every_acknowledged_record()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "10s");
        var victim = cluster.NotTheController();
        var topic = await cluster.CreateTopicAsync("failover", 3, 3, new() { ["min.insync.replicas"] = "2" });
        var p = topic.Partitions.First(x => x.Leader == victim).Partition;
        var acknowledged = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var produced = await cluster.ProduceAsync("failover", p, Acks.All, 10_000, $"r{i}");
            Assert.Equal(ErrorCode.None, produced.Error);
            acknowledged.Add($"r{i}");
        }
        var before = cluster.Partition("failover", p);

        await cluster.CrashAsync(victim);
        await Eventually.True(() => cluster.Partition("failover", p) is { Leader: var l } && l >= 0 && l != victim, TimeSpan.FromSeconds(40), "a new leader is elected");
        var after = cluster.Partition("failover", p);
        cluster.Log($"partition {p}: leader {before.Leader} epoch {before.LeaderEpoch} -> leader {after.Leader} epoch {after.LeaderEpoch}, ISR [{string.Join(",", after.Isr)}]");
        Assert.Contains(after.Leader, before.Isr);
        Assert.True(after.LeaderEpoch > before.LeaderEpoch);

        var fetched = await Eventually.Reply<FetchResponse>(cluster.Node(after.Leader).Gateway, new FetchRequest("failover", p, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None && r.HighWatermark >= acknowledged.Count);
        Assert.Equal(acknowledged, Batches.Read(fetched.Records).Select(r => r.Value));
        // And it takes acks=all writes with the surviving follower.
        var next = await cluster.ProduceOnceServedAsync(after.Leader, "failover", p, after.LeaderEpoch, Acks.All, "after");
        Assert.Equal((ErrorCode.None, (long)acknowledged.Count), (next.Error, next.BaseOffset));
    }

    [Fact]
    public async Task Without_unclean_election_a_partition_waits_for_its_isr_and_with_it_an_out_of_sync_replica_leads()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "1s");
        var victim = cluster.NotTheController();
        await cluster.CreateTopicAsync("clean", 3, 2);
        await cluster.CreateTopicAsync("unclean", 3, 2, new() { ["unclean.leader.election.enable"] = "true" });
        var clean = cluster.Live.First().Metadata.Current.Topics["clean"].Partitions.First(x => x.Leader == victim);
        var unclean = cluster.Live.First().Metadata.Current.Topics["unclean"].Partitions.First(x => x.Leader == victim);
        foreach (var (name, p) in new[] { ("clean", clean), ("unclean", unclean) })
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync(name, p.Partition, Acks.All, 10_000, "replicated")).Error);
        }
        // The followers stop, the leaders go on alone: ISR = {leader}.
        foreach (var broker in new[] { 1, 2, 3 }.Where(b => b != victim)) await cluster.StopFetchingAsync(broker);
        foreach (var (name, p) in new[] { ("clean", clean), ("unclean", unclean) })
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync(name, p.Partition, Acks.Leader, 10_000, "leader only")).Error);
            await Eventually.True(() => cluster.Partition(name, p.Partition).Isr.SequenceEqual([victim]), TimeSpan.FromSeconds(30), $"{name} shrinks to its leader");
        }

        await cluster.CrashAsync(victim);
        var follower = unclean.Replicas.Single(b => b != victim);
        await Eventually.True(() => cluster.Partition("unclean", unclean.Partition).Leader == follower, TimeSpan.FromSeconds(40), "the out-of-sync replica leads");
        // The unclean leader has what it had replicated; the leader-only record is lost, as unclean election allows.
        var fetched = await Eventually.Reply<FetchResponse>(cluster.Node(follower).Gateway, new FetchRequest("unclean", unclean.Partition, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None && r.HighWatermark >= 1);
        Assert.Equal(["replicated"], Batches.Read(fetched.Records).Select(r => r.Value));
        var offline = cluster.Partition("clean", clean.Partition);
        Assert.Equal(-1, offline.Leader);
        Assert.Equal([victim], offline.Isr);
        var refused = await cluster.Live.First().Gateway.Ask<ProduceResponse>(
            new ProduceRequest("clean", clean.Partition, Acks.All, 5000, -1, Batches.Of("x")), Timeout);
        Assert.Equal(ErrorCode.LeaderNotAvailable, refused.Error);

        // The only ISR member returns: it leads again, with every record it had.
        await cluster.RestartAsync(victim);
        await Eventually.True(() => cluster.Partition("clean", clean.Partition).Leader == victim, TimeSpan.FromSeconds(40), "the ISR member leads again");
        var back = await Eventually.Reply<FetchResponse>(cluster.Node(victim).Gateway, new FetchRequest("clean", clean.Partition, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None && r.HighWatermark >= 2);
        Assert.Equal(["replicated", "leader only"], Batches.Read(back.Records).Select(r => r.Value));
    }

    [Fact]
    public async Task A_deposed_leaders_unreplicated_tail_is_truncated_when_it_returns_as_follower()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "30s");
        var victim = cluster.NotTheController();
        var topic = await cluster.CreateTopicAsync("diverge", 3, 3);
        var p = topic.Partitions.First(x => x.Leader == victim).Partition;
        foreach (var value in new[] { "a", "b", "c" })
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("diverge", p, Acks.All, 10_000, value)).Error);
        }
        var survivors = new[] { 1, 2, 3 }.Where(b => b != victim).ToArray();
        foreach (var broker in survivors) await cluster.StopFetchingAsync(broker);
        // Appended by the leader alone, never replicated, never committed (the ISR still holds all three).
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("diverge", p, Acks.Leader, 10_000, "lost-1")).Error);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("diverge", p, Acks.Leader, 10_000, "lost-2")).Error);
        Assert.Equal(5, cluster.LogEnd(victim, "diverge", p));

        await cluster.CrashAsync(victim);
        foreach (var broker in survivors) cluster.ResumeFetching(broker);
        await Eventually.True(() => cluster.Partition("diverge", p) is { Leader: var l } && survivors.Contains(l), TimeSpan.FromSeconds(40), "a survivor leads");
        var state = cluster.Partition("diverge", p);
        // The new leader writes at the offsets the deposed one used for its tail.
        var written = await cluster.ProduceOnceServedAsync(state.Leader, "diverge", p, state.LeaderEpoch, Acks.All, "new-1", "new-2", "new-3");
        Assert.Equal((ErrorCode.None, 3L), (written.Error, written.BaseOffset));

        await cluster.RestartAsync(victim);
        await Eventually.True(() => cluster.Partition("diverge", p).Isr.Contains(victim), TimeSpan.FromSeconds(40), "the returned broker rejoins the ISR");
        var leaderLog = cluster.ReplicaLog(state.Leader, "diverge", p);
        var returned = cluster.ReplicaLog(victim, "diverge", p);
        Assert.Equal(["a", "b", "c", "new-1", "new-2", "new-3"], returned.Records.Select(r => r.Value));
        Assert.Equal(leaderLog.Bytes, returned.Bytes);
        foreach (var broker in survivors) Assert.Equal(leaderLog.Bytes, cluster.ReplicaLog(broker, "diverge", p).Bytes);
    }
}
