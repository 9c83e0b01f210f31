using AkkaStream.Client.Configuration;
using AkkaStream.Fault.Checks;
using AkkaStream.Fault.Faults;
using AkkaStream.Fault.Processes;
using AkkaStream.Fault.Workload;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Ids;
using Xunit.Abstractions;

namespace AkkaStream.Fault.Tests;

/// <summary>
/// Three broker processes on loopback, a topic with replication factor 3 and
/// min.insync.replicas=2, producers writing with acks=all throughout while partition leaders and
/// the controller's broker are killed with kill -9 and restarted, and a broker is frozen with
/// SIGSTOP for longer than a follower may lag. Afterwards every acknowledged record must be in
/// the log exactly once, where its acknowledgement said, in order; and every replica must hold
/// the same bytes below the high watermark.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicatedTopicUnderFaultsTests(ITestOutputHelper output)
{
    private const string Topic = "faults";
    private const int Partitions = 3;
    private const int Window = 16;

    /// <summary>Longer than the follower lag time the brokers run with (<see cref="BrokerOverrides"/>), shorter than failure detection plus the Split Brain Resolver's stable-after, so the cluster does not down the broker.</summary>
    private static readonly TimeSpan PauseDuration = TimeSpan.FromSeconds(6);

    /// <summary>A follower lag time (Kafka: replica.lag.time.max.ms) the pause outlasts by 3 s.</summary>
    private static readonly string[] BrokerOverrides = ["akkastream.replica-lag-time-max = 3s"];

    [Fact]
    public async Task Acknowledged_records_survive_killed_leaders_a_killed_controller_and_a_paused_broker_once_each_in_order_on_identical_replicas()
    {
        await using var cluster = await LocalCluster.StartAsync(3, TimeSpan.FromSeconds(120), BrokerOverrides, FaultClientConfig.Hocon);
        Log($"3 brokers up in {cluster.ScratchRoot}");
        await cluster.Client.Admin.CreateTopicAsync(Topic, Partitions, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });

        var producer = cluster.Client.CreateProducer(cluster.Client.Settings.Producer with { Acks = Acks.All });
        var workload = new ProducerWorkload(producer, Topic, Partitions, Window);
        workload.Start();
        var faults = new FaultInjector(cluster, workload, Topic, FaultTimings.Default, Log);
        await faults.WaitAllWritableAsync(workload.StartedUtc);
        Log($"writing{await faults.WaitIsrFullAsync()}");

        await faults.KillLeaderAsync(partition: 0);
        await faults.KillControllerBrokerAsync();
        await faults.PauseFollowerAsync(avoidLeaderOf: 1, PauseDuration);
        // A leader whose broker is not the controller's, when there is one: the controller's
        // broker was killed above already.
        await faults.KillLeaderAsync();
        await faults.WaitAllWritableAsync(DateTime.UtcNow);
        await workload.StopAsync();
        await producer.CloseAsync();

        var topic = (await cluster.Client.Admin.DescribeTopicsAsync([Topic])).Single();
        var highWatermarks = await DeliveryCheck.HighWatermarksAsync(cluster.Client, Topic, Partitions);
        var consumed = await DeliveryCheck.ConsumeAllAsync(cluster.Client, Topic, highWatermarks, TimeSpan.FromSeconds(60));
        var delivery = DeliveryCheck.Check(workload.Acks, consumed);
        await cluster.StopAllAsync();
        var replicas = topic.Partitions.OrderBy(p => p.Partition).Select(p => ReplicaCheck.Compare(
            new TopicPartition(Topic, p.Partition), highWatermarks[p.Partition],
            [.. p.Replicas.Select(id => (id, cluster.Broker(id).DataDir))])).ToList();
        var report = new FaultReport(faults.Injected, workload.Produced, workload.Acks, delivery,
            Enumerable.Range(0, Partitions).ToDictionary(p => p, p => workload.Acks.LongestSilence(p, workload.StartedUtc, workload.StoppedUtc)),
            replicas);
        var text = string.Join(Environment.NewLine, report.Lines());
        Publish(text);

        Assert.Equal(4, faults.Injected.Count);
        Assert.True(delivery.Acknowledged > 0, text);
        Assert.True(delivery.Lost == 0, $"acknowledged records were lost{Environment.NewLine}{text}");
        Assert.True(delivery.Misplaced == 0, $"acknowledged records are not where their acknowledgement said{Environment.NewLine}{text}");
        Assert.True(delivery.OutOfOrder == 0, $"records are out of order{Environment.NewLine}{text}");
        // Exactly once: a write retried after its acknowledgement was lost with a killed broker
        // is stored twice until the producer is idempotent.
        Assert.True(delivery.Duplicated == 0, $"records were stored more than once{Environment.NewLine}{text}");
        Assert.True(replicas.All(r => r.Identical), $"replicas differ below the high watermark{Environment.NewLine}{text}");
    }

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {line}");

    /// <summary>The figures go to the test output and to .test-results/fault-report.txt, which CI keeps.</summary>
    private void Publish(string report)
    {
        output.WriteLine(report);
        var directory = Path.Combine(RepositoryLayout.Root, ".test-results");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "fault-report.txt"), report + Environment.NewLine);
    }
}
