using Akka.Actor;
using AkkaStream.Client.Configuration;
using AkkaStream.Fault.Checks;
using AkkaStream.Fault.Faults;
using AkkaStream.Fault.Postgres;
using AkkaStream.Fault.Processes;
using AkkaStream.Fault.Workload;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Fault.Tests;

/// <summary>
/// The cluster journal on a real PostgreSQL server (Debian's package, a server of the test's own
/// on 127.0.0.1): three broker processes whose controller, partition entities and sharding keep
/// their state there instead of in SQLite. The controller's broker is killed with kill -9; the
/// controller that starts on another broker must recover the topics from PostgreSQL (their ids,
/// replicas and settings), create new ones, and every record acknowledged with acks=all must be
/// there to consume.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresJournalClusterTests(ITestOutputHelper output)
{
    private const string Topic = "journaled";
    private const int Partitions = 3;
    private const string Schema = "akkastream_cluster";

    private static readonly TimeSpan ControllerFailoverWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_controller_on_another_broker_recovers_the_cluster_from_postgresql_after_a_kill_and_no_acknowledged_record_is_lost()
    {
        var started = DateTime.UtcNow;
        await using var postgres = await PostgresServer.StartAsync();
        Log($"PostgreSQL {postgres.Version} on 127.0.0.1:{postgres.Port} after {Since(started)}");
        await using var cluster = await LocalCluster.StartAsync(3, TimeSpan.FromSeconds(120), postgres.BrokerOverrides(Schema), FaultClientConfig.Hocon);
        Log($"3 brokers up after {Since(started)} in {cluster.ScratchRoot}");
        Assert.False(File.Exists(cluster.Broker(1).JournalPath), "the brokers made a SQLite journal although they were told to use PostgreSQL");

        await cluster.Client.Admin.CreateTopicAsync(Topic, Partitions, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        var producer = cluster.Client.CreateProducer(cluster.Client.Settings.Producer with { Acks = Acks.All });
        var workload = new ProducerWorkload(producer, Topic, Partitions, window: 16);
        workload.Start();
        // Only its waits: this test injects its one fault itself, to look at the cluster while the broker is down.
        var faults = new FaultInjector(cluster, workload, Topic, FaultTimings.Default, Log);
        await faults.WaitAllWritableAsync(workload.StartedUtc);
        var before = await DescribeTopicAsync(cluster);

        var controller = (await DescribeClusterAsync(cluster)).ControllerId;
        cluster.Broker(controller).Kill();
        var killedAt = DateTime.UtcNow;
        Log($"killed broker {controller}, the controller's");
        await CreateTopicAsync(cluster, "created-after-failover", killedAt + ControllerFailoverWait);
        var successor = (await DescribeClusterAsync(cluster)).ControllerId;
        Log($"broker {successor}'s controller created a topic {Since(killedAt)} after the kill");
        Assert.NotEqual(controller, successor);
        var after = await DescribeTopicAsync(cluster);
        Assert.Equal(before.TopicId, after.TopicId);
        Assert.Equal(before.Partitions.Select(p => p.Replicas.Order().ToArray()), after.Partitions.Select(p => p.Replicas.Order().ToArray()));
        // Settings are answered by the controller from its own (recovered) state, not by a metadata cache.
        var settings = await cluster.Client.Admin.DescribeConfigsAsync(Topic);
        Assert.Equal("2", settings.Single(e => e.Name == "min.insync.replicas").Value);

        await cluster.RestartAsync(controller, TimeSpan.FromSeconds(90));
        await faults.WaitAllWritableAsync(DateTime.UtcNow);
        await workload.StopAsync();
        await producer.CloseAsync();
        var highWatermarks = await DeliveryCheck.HighWatermarksAsync(cluster.Client, Topic, Partitions);
        var delivery = DeliveryCheck.Check(workload.Acks, await DeliveryCheck.ConsumeAllAsync(cluster.Client, Topic, highWatermarks, TimeSpan.FromSeconds(60)));
        Log($"{delivery.Acknowledged} acknowledged, {delivery.Consumed} consumed, {delivery.Lost} lost, {delivery.Duplicated} duplicated");
        Assert.True(delivery.Acknowledged > 0, "nothing was acknowledged");
        Assert.True(delivery.Lost == 0 && delivery.Misplaced == 0 && delivery.OutOfOrder == 0 && delivery.Duplicated == 0,
            string.Join(Environment.NewLine, delivery.Problems));

        // The state really is in PostgreSQL, in the configured schema: the controller's events among them.
        var tables = await postgres.QueryAsync($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{Schema}' ORDER BY table_name");
        Assert.Contains("journal", tables);
        Assert.Contains("snapshot", tables);
        var controllerEvents = long.Parse(Assert.Single(await postgres.QueryAsync(
            $"SELECT count(*) FROM {Schema}.journal WHERE persistence_id = 'akkastream-controller'")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(controllerEvents > 0, "no controller event in PostgreSQL");
        await cluster.StopAllAsync();
        Log($"done after {Since(started)}: tables [{string.Join(", ", tables)}], {controllerEvents} controller events");
    }

    /// <summary>Creates a topic for real, retrying while no controller answers; a retry of a creation that did happen finds it there.</summary>
    private static async Task CreateTopicAsync(LocalCluster cluster, string name, DateTime deadline)
    {
        while (true)
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await cluster.Client.Admin.CreateTopicAsync(name, 1, 2, cancellationToken: attempt.Token);
                return;
            }
            catch (AkkaStreamException e) when (e.Code == ErrorCode.TopicAlreadyExists)
            {
                return;
            }
            catch (Exception e) when (e is AkkaStreamException or OperationCanceledException or TimeoutException or AskTimeoutException)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"no controller created a topic before {deadline:O}", e);
                await Task.Delay(100);
            }
        }
    }

    private static async Task<TopicMetadata> DescribeTopicAsync(LocalCluster cluster) =>
        (await cluster.Client.Admin.DescribeTopicsAsync([Topic])).Single();

    private static async Task<DescribeClusterResponse> DescribeClusterAsync(LocalCluster cluster) =>
        await cluster.DescribeAsync(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no broker answered DescribeCluster");

    private static string Since(DateTime start) => $"{(DateTime.UtcNow - start).TotalSeconds:F1} s";

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {line}");
}
