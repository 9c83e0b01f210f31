using Akka.Actor;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>A partition moves to other brokers: the new replica catches up, takes over, and the old replica's log goes away.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReassignmentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    /// <summary>Ten acks=all records to partition 0, each acknowledged; their offsets and values.</summary>
    private static async Task<List<(long Offset, string Value)>> ProduceAcknowledged(ReplicatedCluster cluster, string topic, string prefix)
    {
        var acknowledged = new List<(long Offset, string Value)>();
        for (var i = 0; i < 10; i++)
        {
            var produced = await cluster.ProduceAsync(topic, 0, Acks.All, 10_000, $"{prefix}-{i}");
            Assert.Equal(ErrorCode.None, produced.Error);
            acknowledged.Add((produced.BaseOffset, $"{prefix}-{i}"));
        }
        return acknowledged;
    }

    /// <summary>What each live broker's metadata says of the partition, for a failure's message.</summary>
    private static string Seen(ReplicatedCluster cluster, string topic, int partition) => string.Join("; ", cluster.Live.Select(n =>
        n.Metadata.Current.Partition(topic, partition) is { } p
            ? $"broker {n.Settings.BrokerId} sees leader {p.Leader} epoch {p.LeaderEpoch} replicas [{string.Join(",", p.Replicas)}] ISR [{string.Join(",", p.Isr)}]"
            : $"broker {n.Settings.BrokerId} sees no {topic}-{partition}"));

    [Fact]
    public async Task A_partition_moves_onto_a_new_broker_which_copies_every_byte_and_leads_while_the_old_replica_is_deleted()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output);
        var before = (await cluster.CreateTopicAsync("moved", 1, 2)).Partitions[0];
        var tp = new TopicPartition("moved", 0);
        var (old, kept) = (before.Replicas[0], before.Replicas[1]);
        var added = new[] { 1, 2, 3 }.Single(b => !before.Replicas.Contains(b));
        var acknowledged = await ProduceAcknowledged(cluster, "moved", "before");
        // Held back, so that the reassignment is seen in progress.
        await cluster.StopFetchingAsync(added);

        await using var client = EndToEnd.ClientFor.Create(cluster.Live);
        async Task<ErrorCode> Refused(string topic, int partition, params int[] replicas) =>
            (await Assert.ThrowsAsync<AkkaStreamException>(() => client.Admin.AlterPartitionReassignmentsAsync(topic, partition, replicas))).Code;
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await Refused("nope", 0, added));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await Refused("moved", 1, added));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, await Refused("moved", 0));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, await Refused("moved", 0, added, added));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, await Refused("moved", 0, added, 9));
        Assert.Empty(await client.Admin.ListPartitionReassignmentsAsync());

        Assert.Equal(ErrorCode.None, (await client.Admin.AlterPartitionReassignmentsAsync("moved", 0, [added, kept])).Error);
        var ongoing = Assert.Single(await client.Admin.ListPartitionReassignmentsAsync(["moved"]));
        Assert.Equal([added, kept, old], ongoing.Replicas);
        Assert.Equal([added], ongoing.AddingReplicas);
        Assert.Equal([old], ongoing.RemovingReplicas);
        cluster.Log($"moving from [{old},{kept}] to [{added},{kept}]");

        // Writes go on meanwhile, acknowledged by the old ISR.
        for (var i = 0; i < 10; i++)
        {
            var request = new ProduceRequest("moved", 0, Acks.All, 2_000, -1, Batches.Of($"during-{i}"));
            var produced = await Eventually.Reply<ProduceResponse>(cluster.Node(old).Gateway, request, r => r.Error == ErrorCode.None);
            acknowledged.Add((produced.BaseOffset, $"during-{i}"));
        }
        await Eventually.True(() => cluster.LogEnd(kept, "moved", 0) == cluster.LogEnd(old, "moved", 0), Within, "the kept replica has the old leader's log");
        var leaderBytes = cluster.ReplicaLog(old, "moved", 0).Bytes;
        Assert.Equal(-1, cluster.LogEnd(added, "moved", 0));
        Assert.Single(await client.Admin.ListPartitionReassignmentsAsync());

        cluster.ResumeFetching(added);
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Partition("moved", 0)?.Replicas.SequenceEqual([added, kept]) == true), Within,
            "every broker's metadata has the partition on its target replicas");
        var after = cluster.Partition("moved", 0);
        cluster.Log($"reassigned: leader {after.Leader}, epoch {after.LeaderEpoch}, ISR [{string.Join(",", after.Isr)}]");
        Assert.Equal(added, after.Leader);
        Assert.Equal([added, kept], after.Isr);
        Assert.True(after.LeaderEpoch >= before.LeaderEpoch + 2, $"epoch {after.LeaderEpoch} after {before.LeaderEpoch}");
        Assert.Empty(await client.Admin.ListPartitionReassignmentsAsync());

        var oldDirectory = Path.Combine(cluster.Node(old).Settings.DataDir, tp.DirectoryName);
        await Eventually.True(() => cluster.Node(old).Logs.LogOf(tp) is null && !Directory.Exists(oldDirectory), Within, "the removed replica's log is deleted");
        Assert.Equal(leaderBytes, cluster.ReplicaLog(added, "moved", 0).Bytes);

        var last = acknowledged.Max(a => a.Offset);
        var fetched = await Eventually.Reply<FetchResponse>(cluster.Node(added).Gateway, new FetchRequest("moved", 0, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None && r.HighWatermark > last);
        var consumed = Batches.Read(fetched.Records);
        Assert.All(acknowledged, a => Assert.Contains(a, consumed));

        // The new leader takes acks=all writes with the new ISR, and the kept follower copies them.
        var written = await Eventually.Reply<ProduceResponse>(cluster.Node(added).Gateway,
            new ProduceRequest("moved", 0, Acks.All, 2_000, -1, Batches.Of("after")), r => r.Error == ErrorCode.None);
        Assert.True(written.BaseOffset > last);
        await Eventually.True(() => cluster.LogEnd(kept, "moved", 0) == cluster.LogEnd(added, "moved", 0), Within, "the kept replica follows the new leader");
        Assert.Equal(cluster.ReplicaLog(added, "moved", 0).Bytes, cluster.ReplicaLog(kept, "moved", 0).Bytes);
    }

    [Fact]
    public async Task A_cancelled_reassignment_leaves_the_partition_on_its_original_replica_with_every_record_and_deletes_the_added_copies()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output);
        var before = (await cluster.CreateTopicAsync("cancelled", 1, 1)).Partitions[0];
        var tp = new TopicPartition("cancelled", 0);
        var original = before.Replicas[0];
        var (copying, held) = (new[] { 1, 2, 3 }.First(b => b != original), new[] { 1, 2, 3 }.Last(b => b != original));
        var acknowledged = await ProduceAcknowledged(cluster, "cancelled", "before");
        // One new replica copies the log; the other never fetches, so the reassignment cannot finish.
        await cluster.StopFetchingAsync(held);
        await using var client = EndToEnd.ClientFor.Create(cluster.Live);
        Assert.Equal(ErrorCode.NoReassignmentInProgress,
            (await Assert.ThrowsAsync<AkkaStreamException>(() => client.Admin.CancelPartitionReassignmentAsync("cancelled", 0))).Code);
        Assert.Equal(ErrorCode.None, (await client.Admin.AlterPartitionReassignmentsAsync("cancelled", 0, [copying, held])).Error);
        cluster.Log($"moving from [{original}] to [{copying},{held}]; broker {held} does not fetch");
        await Eventually.True(() => cluster.Partition("cancelled", 0).Isr.Contains(copying), Within, "the copying replica joins the ISR");
        acknowledged.AddRange(await ProduceAcknowledged(cluster, "cancelled", "during"));
        await Eventually.True(() => cluster.LogEnd(copying, "cancelled", 0) == cluster.LogEnd(original, "cancelled", 0), Within, "the copying replica has the whole log");
        var ongoing = Assert.Single(await client.Admin.ListPartitionReassignmentsAsync());
        Assert.Equal([held], ongoing.AddingReplicas);

        Assert.Equal(ErrorCode.None, (await client.Admin.CancelPartitionReassignmentAsync("cancelled", 0)).Error);
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Partition("cancelled", 0)?.Replicas.SequenceEqual([original]) == true), Within,
            "every broker's metadata has the partition on its original replica");
        var after = cluster.Partition("cancelled", 0);
        cluster.Log($"cancelled: leader {after.Leader}, epoch {after.LeaderEpoch}, ISR [{string.Join(",", after.Isr)}]");
        Assert.Equal(original, after.Leader);
        Assert.Equal([original], after.Isr);
        Assert.True(after.LeaderEpoch > before.LeaderEpoch + 1, $"epoch {after.LeaderEpoch} after {before.LeaderEpoch}");
        Assert.Empty(await client.Admin.ListPartitionReassignmentsAsync());
        Assert.Equal(ErrorCode.NoReassignmentInProgress,
            (await Assert.ThrowsAsync<AkkaStreamException>(() => client.Admin.CancelPartitionReassignmentAsync("cancelled", 0))).Code);

        var copyDirectory = Path.Combine(cluster.Node(copying).Settings.DataDir, tp.DirectoryName);
        await Eventually.True(() => cluster.Node(copying).Logs.LogOf(tp) is null && !Directory.Exists(copyDirectory), Within, "the added replica's log is deleted");
        Assert.Equal(-1, cluster.LogEnd(held, "cancelled", 0));

        // Nothing acknowledged is lost, and the partition takes acks=all writes on its own again.
        var written = await cluster.ProduceOnceServedAsync(original, "cancelled", 0, after.LeaderEpoch, Acks.All, "after");
        Assert.Equal((ErrorCode.None, (long)acknowledged.Count), (written.Error, written.BaseOffset));
        acknowledged.Add((written.BaseOffset, "after"));
        var fetched = await cluster.Node(original).Gateway.Ask<FetchResponse>(new FetchRequest("cancelled", 0, 0, 1 << 20, 0, 0, -1), ReplicatedCluster.Timeout);
        Assert.Equal(acknowledged, Batches.Read(fetched.Records));
    }

    [Fact]
    public async Task An_adding_replica_catches_up_within_the_follower_throttle_while_in_sync_followers_are_not_throttled()
    {
        const int rate = 10_000; // bytes per second
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", $"akkastream.replication.follower-throttled-rate = {rate}");
        var moving = (await cluster.CreateTopicAsync("throttled", 1, 1)).Partitions[0];
        var inSync = (await cluster.CreateTopicAsync("unthrottled", 1, 3)).Partitions[0];
        var source = moving.Replicas[0];
        var adding = new[] { 1, 2, 3 }.First(b => b != source && b != inSync.Leader);
        // Six batches of ten records of about 2 kB (key and value): some 120 kB to copy, 12 s at the rate.
        const int batches = 6;
        var payload = new string('x', 1000);
        for (var batch = 0; batch < batches; batch++)
        {
            var values = Enumerable.Range(0, 10).Select(i => $"{batch}-{i}-{payload}").ToArray();
            Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("throttled", 0, Acks.All, 10_000, values)).Error);
        }
        var total = cluster.ReplicaLog(source, "throttled", 0).Bytes.Length;
        // The first batch of a fetch always comes whole: one fetch is at most one batch here.
        var oneFetch = total / batches + 1024;

        await using var client = EndToEnd.ClientFor.Create(cluster.Live);
        var clock = System.Diagnostics.Stopwatch.StartNew(); // before the adding replica can fetch anything
        Assert.Equal(ErrorCode.None, (await client.Admin.AlterPartitionReassignmentsAsync("throttled", 0, [source, adding])).Error);
        cluster.Log($"copying {total} bytes to broker {adding} at {rate} bytes/s");

        // Meanwhile 600 kB go to a partition the same broker follows in sync: it keeps up, far above the rate.
        var unthrottled = Task.Run(async () =>
        {
            var started = clock.Elapsed;
            for (var batch = 0; batch < 30; batch++)
            {
                var values = Enumerable.Range(0, 10).Select(i => $"{batch}-{i}-{payload}").ToArray();
                Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync("unthrottled", 0, Acks.All, 20_000, values)).Error);
            }
            await Eventually.True(() => cluster.LogEnd(adding, "unthrottled", 0) == cluster.LogEnd(inSync.Leader, "unthrottled", 0),
                TimeSpan.FromSeconds(30), "the in-sync follower has every record");
            return (Bytes: cluster.ReplicaLog(adding, "unthrottled", 0).Bytes.Length, Took: clock.Elapsed - started);
        });

        var samples = 0;
        var deadline = TimeSpan.FromSeconds(90);
        while (true)
        {
            var copied = cluster.ReplicaLog(adding, "throttled", 0).Bytes.Length;
            var elapsed = clock.Elapsed; // read after the bytes: the bound only loosens
            Assert.True(copied <= rate * elapsed.TotalSeconds + oneFetch,
                $"{copied} bytes copied after {elapsed.TotalSeconds:F1} s; the throttle allows {rate * elapsed.TotalSeconds + oneFetch:F0}");
            samples++;
            if (copied == total) break;
            Assert.True(elapsed < deadline, $"the adding replica has {copied} of {total} bytes after {elapsed.TotalSeconds:F0} s");
            await Task.Delay(200);
        }
        var catchUp = clock.Elapsed;
        cluster.Log($"broker {adding} copied {total} bytes in {catchUp.TotalSeconds:F1} s ({samples} samples); the throttle allows no less than {(total - oneFetch) / (double)rate:F1} s");
        Assert.True(catchUp.TotalSeconds >= (total - oneFetch) / (double)rate);

        var (bytes, took) = await unthrottled;
        cluster.Log($"the in-sync follower copied {bytes} bytes in {took.TotalSeconds:F1} s");
        Assert.True(bytes > rate * took.TotalSeconds + oneFetch, $"{bytes} bytes in {took.TotalSeconds:F1} s is within the throttle: the in-sync follower was throttled");
        Assert.Contains(adding, cluster.Partition("unthrottled", 0).Isr);
        await Eventually.True(() => cluster.Partition("throttled", 0).Replicas.SequenceEqual([source, adding]), Within, "the reassignment completes");
        Assert.Equal(cluster.ReplicaLog(source, "throttled", 0).Bytes, cluster.ReplicaLog(adding, "throttled", 0).Bytes);
    }

    [Fact]
    public async Task A_reassignment_in_progress_survives_the_controllers_crash_and_completes_under_the_next_controller()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output);
        var before = (await cluster.CreateTopicAsync("failover", 1, 1)).Partitions[0];
        var tp = new TopicPartition("failover", 0);
        var source = before.Replicas[0];
        var controller = cluster.Node(1).Metadata.Current.ControllerId;
        var epoch = cluster.Node(1).Metadata.Current.ControllerEpoch;
        var target = new[] { 1, 2, 3 }.First(b => b != source && b != controller);
        var acknowledged = await ProduceAcknowledged(cluster, "failover", "r");
        await cluster.StopFetchingAsync(target);
        await using (var client = EndToEnd.ClientFor.Create(cluster.Live))
        {
            Assert.Equal(ErrorCode.None, (await client.Admin.AlterPartitionReassignmentsAsync("failover", 0, [target])).Error);
        }
        cluster.Log($"moving from [{source}] to [{target}]; crashing the controller's broker {controller}");

        await cluster.CrashAsync(controller);
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.ControllerEpoch > epoch), Within, "a new controller publishes metadata");
        // The next controller has the reassignment from the journal, before the crashed broker returns.
        await using var after = EndToEnd.ClientFor.Create(cluster.Live);
        var ongoing = Assert.Single(await after.Admin.ListPartitionReassignmentsAsync());
        Assert.Equal([target], ongoing.AddingReplicas);
        Assert.Equal([source], ongoing.RemovingReplicas);

        await cluster.RestartAsync(controller);
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Brokers.Count == 3), Within, "every broker is live again");
        cluster.ResumeFetching(target);
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Partition("failover", 0) is { Leader: var l } p && l == target && p.Replicas.SequenceEqual([target])),
            Within, "the partition is on its target replica alone, led by it");
        await Eventually.True(() => cluster.Node(source).Logs.LogOf(tp) is null, Within, "the removed replica's log is deleted");
        Assert.Empty(await after.Admin.ListPartitionReassignmentsAsync());
        var fetched = await Eventually.Reply<FetchResponse>(cluster.Node(target).Gateway, new FetchRequest("failover", 0, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None && r.HighWatermark > acknowledged[^1].Offset);
        Assert.Equal(acknowledged, Batches.Read(fetched.Records));
    }

    [Fact]
    public async Task Partitions_move_onto_a_broker_added_to_the_cluster()
    {
        // The new broker, starting on a busy machine, may miss heartbeats for a moment; a leadership
        // that moved off it then comes back with the preferred-leader check, as it does in Kafka.
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", "akkastream.leader-imbalance-check-interval = 1s");
        var topic = await cluster.CreateTopicAsync("grow", 2, 2);
        var written = new Dictionary<int, List<(long Offset, string Value)>>();
        foreach (var p in topic.Partitions)
        {
            for (var i = 0; i < 5; i++)
            {
                var produced = await cluster.ProduceAsync("grow", p.Partition, Acks.All, 10_000, $"p{p.Partition}-{i}");
                Assert.Equal(ErrorCode.None, produced.Error);
                written.TryAdd(p.Partition, []);
                written[p.Partition].Add((produced.BaseOffset, $"p{p.Partition}-{i}"));
            }
        }
        await cluster.AddBrokerAsync(4);

        await using var client = EndToEnd.ClientFor.Create(cluster.Live);
        foreach (var p in topic.Partitions)
        {
            Assert.Equal(ErrorCode.None, (await client.Admin.AlterPartitionReassignmentsAsync("grow", p.Partition, [4, p.Replicas[1]])).Error);
        }
        foreach (var p in topic.Partitions)
        {
            int[] target = [4, p.Replicas[1]];
            await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Partition("grow", p.Partition) is { Leader: 4 } s && s.Replicas.SequenceEqual(target)),
                Within, () => $"grow-{p.Partition} is on [{string.Join(",", target)}], led by the new broker; {Seen(cluster, "grow", p.Partition)}");
            var tp = new TopicPartition("grow", p.Partition);
            await Eventually.True(() => cluster.Node(p.Replicas[0]).Logs.LogOf(tp) is null, Within, $"broker {p.Replicas[0]} deleted its replica of {tp}");
            var fetched = await Eventually.Reply<FetchResponse>(cluster.Node(4).Gateway, new FetchRequest("grow", p.Partition, 0, 1 << 20, 0, 0, -1),
                r => r.Error == ErrorCode.None && r.HighWatermark > written[p.Partition][^1].Offset);
            Assert.Equal(written[p.Partition], Batches.Read(fetched.Records));
            Assert.Equal(cluster.ReplicaLog(p.Replicas[1], "grow", p.Partition).Bytes, cluster.ReplicaLog(4, "grow", p.Partition).Bytes);
        }
        Assert.Empty(await client.Admin.ListPartitionReassignmentsAsync());
    }
}
