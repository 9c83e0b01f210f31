using Akka.Actor;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>The ISR shrinks when a follower stops keeping up and grows when it catches up; acks=all and min.insync.replicas follow it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IsrTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ReplicatedCluster.Timeout;

    [Fact]
    public async Task A_follower_that_stops_fetching_leaves_the_isr_and_rejoins_once_caught_up()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "2s");
        var p = (await cluster.CreateTopicAsync("isr", 1, 3)).Partitions[0];
        var follower = p.Replicas.First(b => b != p.Leader);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("isr", 0, Acks.All, 10_000, "in-sync")).Error);

        await cluster.StopFetchingAsync(follower);
        // The follower falls behind only once there is something to fall behind on.
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("isr", 0, Acks.Leader, 10_000, "missed")).Error);
        await Eventually.True(() => !cluster.Partition("isr", 0).Isr.Contains(follower), TimeSpan.FromSeconds(30), "the stalled follower leaves the ISR");
        cluster.Log($"ISR shrank to [{string.Join(",", cluster.Partition("isr", 0).Isr)}]");
        Assert.Contains(p.Leader, cluster.Partition("isr", 0).Isr);
        // Without it, acks=all completes on the remaining ISR.
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("isr", 0, Acks.All, 10_000, "without")).Error);
        Assert.Equal(1, cluster.LogEnd(follower, "isr", 0)); // it has only what it fetched before it stopped

        cluster.ResumeFetching(follower);
        await Eventually.True(() => cluster.Partition("isr", 0).Isr.Contains(follower), TimeSpan.FromSeconds(30), "the caught-up follower rejoins");
        Assert.Equal(cluster.ReplicaLog(p.Leader, "isr", 0).Bytes, cluster.ReplicaLog(follower, "isr", 0).Bytes);
        Assert.Equal(["in-sync", "missed", "without"], cluster.ReplicaLog(follower, "isr", 0).Records.Select(r => r.Value));
    }

    [Fact]
    public async Task A_crashed_follower_leaves_every_isr_at_once_and_acks_all_writes_do_not_wait_for_its_lag_time()
    {
        // A lag time far beyond the writes' timeouts: only the controller's fencing can take the
        // crashed follower out of the ISR in time for them.
        await using var cluster = await ReplicatedCluster.StartAsync(output, "120s", EventLineCapture.Settings);
        var controller = cluster.Node(1).Metadata.Current.ControllerId;
        var topic = await cluster.CreateTopicAsync("fenced", 3, 3, new() { ["min.insync.replicas"] = "2" });
        for (var partition = 0; partition < 3; partition++)
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("fenced", partition, Acks.All, 10_000, $"before-{partition}")).Error);
        }
        // A broker that leads none of them after the crash: neither the controller's nor a leader's.
        var p = topic.Partitions.First(x => x.Leader != controller);
        var follower = p.Replicas.First(b => b != p.Leader && b != controller);
        var followed = topic.Partitions.Where(x => x.Leader != follower).Select(x => x.Partition).ToArray();

        await cluster.CrashAsync(follower);

        // The survivors see it unreachable, their Split Brain Resolver downs it, then it is lost.
        foreach (var partition in followed)
        {
            var written = await cluster.ProduceAsync("fenced", partition, Acks.All, 40_000, $"after-{partition}");
            Assert.True(written.Error == ErrorCode.None, $"partition {partition}: {written.Error} {written.ErrorMessage}");
            Assert.DoesNotContain(follower, cluster.Partition("fenced", partition).Isr);
            Assert.Equal(2, cluster.Partition("fenced", partition).Isr.Count);
        }
        var fenced = await EventLineCapture.FirstAsync([cluster.Node(controller).System],
            l => l.Has("event", "isr-shrunk") && l.Has("topic", "fenced") && l.Has("partition", followed[0].ToString()), Timeout);
        Assert.Equal(($"[{follower}]", "broker-lost"), (fenced["replicas"], fenced["reason"]));

        // Back and caught up, it rejoins through its leaders as any follower does.
        await cluster.RestartAsync(follower);
        await Eventually.True(() => followed.All(x => cluster.Partition("fenced", x).Isr.Contains(follower)), TimeSpan.FromSeconds(40),
            "the returned follower rejoins every ISR");
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("fenced", followed[0], Acks.All, 10_000, "rejoined")).Error);
    }

    [Fact]
    public async Task A_broker_absent_since_the_controller_started_leaves_the_isr_after_the_lag_time_even_where_nothing_runs()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "3s");
        var topic = await cluster.CreateTopicAsync("absent", 3, 2);
        for (var partition = 0; partition < 3; partition++)
        {
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("absent", partition, Acks.All, 10_000, "a")).Error);
        }
        // Led by a broker that comes back, followed by broker 3: no election touches it, and nobody
        // asks its leader anything after the restart, so no leader's lag check runs; only the
        // controller can act.
        var p = topic.Partitions.First(x => x.Replicas.Contains(3) && x.Leader != 3);

        await cluster.CrashAllAsync();
        await cluster.RestartTogetherAsync(1, 2);
        await Eventually.True(() => !cluster.Partition("absent", p.Partition).Isr.Contains(3), TimeSpan.FromSeconds(30),
            "broker 3, never back, leaves the ISR");
        var state = cluster.Partition("absent", p.Partition);
        cluster.Log($"ISR of absent-{p.Partition} is [{string.Join(",", state.Isr)}], led by {state.Leader}");
        Assert.Equal([p.Replicas.Single(b => b != 3)], state.Isr);
    }

    [Fact]
    public async Task Acks_all_waits_for_the_isr_and_min_insync_replicas_refuses_or_flags_writes()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "2s");
        var p = (await cluster.CreateTopicAsync("acks", 1, 3, new() { ["min.insync.replicas"] = "3" })).Partitions[0];
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("acks", 0, Acks.All, 10_000, "all-three")).Error);
        var follower = p.Replicas.First(b => b != p.Leader);
        await cluster.StopFetchingAsync(follower);

        // Appended, but the HW cannot pass it while the stalled follower is in the ISR: the request times out.
        var timedOut = await cluster.ProduceAsync("acks", 0, Acks.All, 300, "waits");
        Assert.Equal(ErrorCode.RequestTimedOut, timedOut.Error);
        // The ISR shrinks while this one waits: replicated to the smaller ISR, but below min.insync.replicas.
        var after = await cluster.ProduceAsync("acks", 0, Acks.All, 15_000, "shrinks");
        Assert.Equal(ErrorCode.NotEnoughReplicasAfterAppend, after.Error);
        // The leader knows the smaller ISR from the controller's answer; other brokers from the next metadata.
        await Eventually.True(() => cluster.Partition("acks", 0).Isr.Count == 2, TimeSpan.FromSeconds(10), "the metadata shows the smaller ISR");
        // Now refused before the append; acks=1 still works.
        var refused = await cluster.ProduceAsync("acks", 0, Acks.All, 10_000, "refused");
        Assert.Equal(ErrorCode.NotEnoughReplicas, refused.Error);
        Assert.Contains("min.insync.replicas is 3", refused.ErrorMessage);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("acks", 0, Acks.Leader, 10_000, "one")).Error);
        Assert.Equal(["all-three", "waits", "shrinks", "one"], cluster.ReplicaLog(p.Leader, "acks", 0).Records.Select(r => r.Value));

        // The follower returns and rejoins: acks=all works again.
        cluster.ResumeFetching(follower);
        await Eventually.True(() => cluster.Partition("acks", 0).Isr.Count == 3, TimeSpan.FromSeconds(30), "the follower rejoins");
        // The metadata may show the larger ISR before the leader has the controller's answer: until it
        // has, the write is refused before the append (so nothing is written twice) and is sent again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        ProduceResponse again;
        while ((again = await cluster.ProduceAsync("acks", 0, Acks.All, 10_000, "again")).Error == ErrorCode.NotEnoughReplicas && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(ErrorCode.None, again.Error);
    }

    [Fact]
    public async Task Consumers_never_read_past_the_high_watermark()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, lagTimeMax: "30s");
        var p = (await cluster.CreateTopicAsync("hw", 1, 3)).Partitions[0];
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("hw", 0, Acks.All, 10_000, "committed")).Error);
        foreach (var follower in p.Replicas.Where(b => b != p.Leader)) await cluster.StopFetchingAsync(follower);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("hw", 0, Acks.Leader, 10_000, "uncommitted")).Error);
        Assert.Equal(2, cluster.LogEnd(p.Leader, "hw", 0));

        var leader = cluster.Node(p.Leader).Gateway;
        var fetched = await leader.Ask<FetchResponse>(new FetchRequest("hw", 0, 0, 1 << 20, 0, 0, -1), Timeout);
        Assert.Equal(1, fetched.HighWatermark);
        Assert.Equal(["committed"], Batches.Read(fetched.Records).Select(r => r.Value));
        var latest = await leader.Ask<ListOffsetsResponse>(new ListOffsetsRequest("hw", 0, ListOffsetsRequest.Latest, -1), Timeout);
        Assert.Equal(1, latest.Offset);
        // Above the high watermark but within the log: nothing yet (not out of range); past the log end: out of range.
        var above = await leader.Ask<FetchResponse>(new FetchRequest("hw", 0, 2, 1 << 20, 0, 0, -1), Timeout);
        Assert.Equal((ErrorCode.None, 1L), (above.Error, above.HighWatermark));
        Assert.Empty(above.Records);
        Assert.Equal(ErrorCode.OffsetOutOfRange, (await leader.Ask<FetchResponse>(new FetchRequest("hw", 0, 3, 1 << 20, 0, 0, -1), Timeout)).Error);
        // A consumer waiting at the high watermark is answered once the followers catch up.
        var waiting = leader.Ask<FetchResponse>(new FetchRequest("hw", 0, 1, 1 << 20, 15_000, 1, -1), Timeout);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        foreach (var follower in p.Replicas.Where(b => b != p.Leader)) cluster.ResumeFetching(follower);
        var caughtUp = await waiting;
        Assert.Equal(2, caughtUp.HighWatermark);
        Assert.Equal(["uncommitted"], Batches.Read(caughtUp.Records).Select(r => r.Value));
        // Every replica checkpoints the high watermark it knows.
        foreach (var broker in p.Replicas)
        {
            var directory = Path.Combine(cluster.Node(broker).Settings.DataDir, "hw-0");
            await Eventually.True(() => Broker.Logs.HighWatermarkCheckpoint.Read(directory) == 2, TimeSpan.FromSeconds(10), $"broker {broker} checkpoints HW 2");
        }
    }
}
