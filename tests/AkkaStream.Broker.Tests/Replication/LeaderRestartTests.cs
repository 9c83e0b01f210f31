using Akka.Actor;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>
/// A leader's broker stops and starts again on its data directory, still the leader: the high
/// watermark it serves from is the one it checkpointed, not its log end, so consumers never see
/// records that were not committed before the stop.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ReplicatedCluster.Timeout;

    [Fact]
    public async Task A_restarted_leader_serves_from_its_checkpointed_high_watermark()
    {
        // The lag time outlasts the test: the ISR keeps the stopped follower, so the leader cannot commit alone.
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "120s");
        var topic = await cluster.CreateTopicAsync("restart", 3, 2);
        // A partition on the two brokers that do not start the cluster: the third (with the
        // controller) restarts with its leader while its follower stays down.
        var p = topic.Partitions.First(x => !x.Replicas.Contains(1));
        var (leader, follower) = (p.Leader, p.Replicas.Single(b => b != p.Leader));
        foreach (var value in new[] { "a", "b", "c" })
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("restart", p.Partition, Acks.All, 10_000, value)).Error);
        }
        await cluster.StopFetchingAsync(follower);
        foreach (var value in new[] { "uncommitted-1", "uncommitted-2" })
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("restart", p.Partition, Acks.Leader, 10_000, value)).Error);
        }
        Assert.Equal(5, cluster.LogEnd(leader, "restart", p.Partition));
        var directory = Path.Combine(cluster.Node(leader).Settings.DataDir, $"restart-{p.Partition}");
        await Eventually.True(() => HighWatermarkCheckpoint.Read(directory) == 3, TimeSpan.FromSeconds(10), "the leader checkpoints HW 3");

        await cluster.CrashAllAsync();
        Assert.Equal(3, HighWatermarkCheckpoint.Read(directory));
        await cluster.RestartTogetherAsync(1, leader);
        var state = cluster.Node(1).Metadata.Current.Partition("restart", p.Partition)!;
        Assert.Equal((leader, p.LeaderEpoch), (state.Leader, state.LeaderEpoch));
        Assert.Contains(follower, state.Isr);

        // The first answer of the restarted leader already has the checkpointed HW, below its log end.
        var gateway = cluster.Node(leader).Gateway;
        var fetched = await Eventually.Reply<FetchResponse>(gateway, new FetchRequest("restart", p.Partition, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None);
        cluster.Log($"restarted leader {leader}: HW {fetched.HighWatermark}, log end {cluster.LogEnd(leader, "restart", p.Partition)}");
        Assert.Equal(3, fetched.HighWatermark);
        Assert.Equal(["a", "b", "c"], Batches.Read(fetched.Records).Select(r => r.Value));
        Assert.Equal(5, cluster.LogEnd(leader, "restart", p.Partition));
        var latest = await gateway.Ask<ListOffsetsResponse>(new ListOffsetsRequest("restart", p.Partition, ListOffsetsRequest.Latest, -1), Timeout);
        Assert.Equal(3, latest.Offset);
        // A consumer that had read up to the old HW goes on from there at once: nothing new, not out of range.
        var atHighWatermark = await gateway.Ask<FetchResponse>(new FetchRequest("restart", p.Partition, 3, 1 << 20, 0, 0, -1), Timeout);
        Assert.Equal((ErrorCode.None, 3L), (atHighWatermark.Error, atHighWatermark.HighWatermark));
        Assert.Empty(atHighWatermark.Records);

        // It waits there until the follower returns and catches up; then the rest is committed.
        var waiting = gateway.Ask<FetchResponse>(new FetchRequest("restart", p.Partition, 3, 1 << 20, 30_000, 1, -1), TimeSpan.FromSeconds(60));
        await cluster.RestartAsync(follower);
        var committed = await waiting;
        Assert.Equal(5, committed.HighWatermark);
        Assert.Equal(["uncommitted-1", "uncommitted-2"], Batches.Read(committed.Records).Select(r => r.Value));
        Assert.Equal(cluster.ReplicaLog(leader, "restart", p.Partition).Bytes, cluster.ReplicaLog(follower, "restart", p.Partition).Bytes);
    }
}
