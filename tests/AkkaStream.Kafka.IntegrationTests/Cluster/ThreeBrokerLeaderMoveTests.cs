using System.Collections.Concurrent;
using Akka.Actor;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Listener;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Xunit.Abstractions;
using KafkaErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Cluster;

/// <summary>
/// Three brokers in one process (three ActorSystems on loopback, each with its Kafka listener):
/// a Confluent producer (acks=all, idempotent) and consumer keep working while the leader of
/// their partition is moved twice, by a reassignment and by a preferred-leader election; a broker
/// that no longer leads answers NotLeaderOrFollower, and the clients find the new leader through
/// Metadata. No acknowledged record is lost.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class ThreeBrokerLeaderMoveTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = KafkaCluster.Timeout;
    private KafkaCluster _cluster = null!;

    private List<KafkaBroker> Brokers => _cluster.Brokers;

    public async Task InitializeAsync() => _cluster = await KafkaCluster.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string Bootstrap => _cluster.Bootstrap;

    private Broker.Metadata.PartitionState? Partition(string topic) => Brokers[0].Node.Metadata.Current.Partition(topic, 0);

    [Fact]
    public async Task Producer_and_consumer_follow_the_leader_as_it_moves_and_lose_no_acknowledged_record()
    {
        const string topic = "moving";
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = -1, ReplicasAssignments = new() { [0] = [1, 2, 3] } }]);
        }
        await Eventually.True(() => Partition(topic) is { Leader: 1 } p && p.Isr.Count == 3, Timeout, "broker 1 leads with every replica in sync");

        var acknowledged = new ConcurrentQueue<string>();
        var consumed = new ConcurrentDictionary<string, long>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(() => ProduceAsync(topic, acknowledged, failures, stop.Token));
        using var consumerDone = new CancellationTokenSource();
        var consuming = Task.Run(() => Consume(topic, consumed, consumerDone.Token));

        async Task AcknowledgedGrowsBy(int count)
        {
            var target = acknowledged.Count + count;
            await Eventually.True(() => acknowledged.Count >= target, Timeout,
                () => $"{acknowledged.Count} of {target} records acknowledged; failures: {string.Join("; ", failures.TakeLast(3))}");
        }

        await AcknowledgedGrowsBy(100);
        // Move 1: a reassignment that leaves broker 1 out; broker 2 takes over.
        var moved = await Brokers[0].Node.Gateway.Ask<AlterPartitionReassignmentsResponse>(new AlterPartitionReassignmentsRequest(topic, 0, [2, 3]), Timeout);
        Assert.Equal(KafkaErrorCode.None, moved.Error);
        await Eventually.True(() => Partition(topic) is { Leader: 2, Replicas.Count: 2 }, Timeout, () => $"broker 2 leads on [2, 3]: {Partition(topic)}");
        output.WriteLine($"leader moved to broker 2 after {acknowledged.Count} acknowledged records");
        Assert.Equal(KafkaErrorCode.NotLeaderOrFollower, await ProduceThroughAsync(Brokers[0], topic));
        await AcknowledgedGrowsBy(100);

        // Move 2: broker 3 becomes the preferred replica, then the preferred-leader election moves leadership to it.
        Assert.Equal(KafkaErrorCode.None, (await Brokers[0].Node.Gateway.Ask<AlterPartitionReassignmentsResponse>(
            new AlterPartitionReassignmentsRequest(topic, 0, [3, 1, 2]), Timeout)).Error);
        await Eventually.True(() => Partition(topic) is { Replicas: [3, 1, 2] } p && p.Isr.Count == 3, Timeout, () => $"[3, 1, 2] in sync: {Partition(topic)}");
        var elected = await Eventually.Reply<ElectLeadersResponse>(Brokers[0].Node.Gateway, new ElectLeadersRequest([topic]),
            r => r.Error == KafkaErrorCode.None && r.Elected == 1 || Partition(topic) is { Leader: 3 });
        await Eventually.True(() => Partition(topic) is { Leader: 3 }, Timeout, () => $"broker 3 leads: {Partition(topic)}");
        output.WriteLine($"leader moved to broker 3 after {acknowledged.Count} acknowledged records ({elected.Elected} elected)");
        Assert.Equal(KafkaErrorCode.NotLeaderOrFollower, await ProduceThroughAsync(Brokers[1], topic));
        await AcknowledgedGrowsBy(100);

        await stop.CancelAsync();
        await producing;
        await Eventually.True(() => acknowledged.All(consumed.ContainsKey), Timeout,
            () => $"{acknowledged.Count(consumed.ContainsKey)} of {acknowledged.Count} acknowledged records consumed");
        await consumerDone.CancelAsync();
        await consuming;
        output.WriteLine($"{acknowledged.Count} acknowledged, {consumed.Count} consumed, {failures.Count} produce failures");
        // The idempotent producer writes each record once: offsets are dense, one per record.
        Assert.Equal(consumed.Count, consumed.Values.Distinct().Count());
    }

    /// <summary>Produces one record at a time until stopped, recording those acknowledged.</summary>
    private async Task ProduceAsync(string topic, ConcurrentQueue<string> acknowledged, ConcurrentQueue<string> failures, CancellationToken stop)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = Bootstrap,
            Acks = Confluent.Kafka.Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            MessageTimeoutMs = 60_000,
            RetryBackoffMs = 100,
        };
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var value = $"record-{i}";
            try
            {
                var delivered = await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = value }, CancellationToken.None);
                if (delivered.Status == PersistenceStatus.Persisted) acknowledged.Enqueue(value);
            }
            catch (ProduceException<Null, string> e)
            {
                failures.Enqueue($"{value}: {e.Error}");
            }
        }
    }

    /// <summary>Reads the partition from the beginning without a group: what is tested here is the data path.</summary>
    private void Consume(string topic, ConcurrentDictionary<string, long> consumed, CancellationToken stop)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = Bootstrap,
            GroupId = "leader-move-reader",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 100,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                consumed.TryAdd(result.Message.Value, result.Offset.Value);
            }
        }
        consumer.Close();
    }

    /// <summary>A Produce v8 request sent straight to <paramref name="broker"/>'s listener; the partition's error code.</summary>
    private static async Task<KafkaErrorCode> ProduceThroughAsync(KafkaBroker broker, string topic)
    {
        using var batch = new RecordBatchBuilder();
        batch.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, "direct"u8.ToArray());
        var request = ProduceApi.Declaration.Request;
        var topicData = request.ElementOf("Topics");
        var body = request.NewDefault()
            .With("Acks", (short)-1)
            .With("TimeoutMs", 10_000)
            .With("Topics", new object?[]
            {
                topicData.NewDefault().With("Name", topic).With("Partitions", new object?[]
                {
                    topicData.ElementOf("Partitions").NewDefault().With("PartitionIndex", 0).With("Records", batch.Build()),
                }),
            });
        await using var client = await WireClient.ConnectAsync(broker.Listener!.Port);
        await client.SendAsync(ProduceApi.Declaration, 8, 1, body);
        var (_, response) = await client.ReceiveAsync(ProduceApi.Declaration, 8);
        var partition = (MessageStruct)((MessageStruct)response.Get<object?[]>("Responses")[0]!).Get<object?[]>("Partitions")[0]!;
        return (KafkaErrorCode)partition.Get<short>("ErrorCode");
    }
}
