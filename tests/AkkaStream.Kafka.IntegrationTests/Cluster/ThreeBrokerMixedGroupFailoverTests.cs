using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Protocol.Messages;
using Confluent.Kafka;
using Xunit.Abstractions;
using KafkaErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Cluster;

/// <summary>
/// Three brokers and one group shared by an actor-client group consumer (bootstrapped at broker 1's
/// Akka.Remote endpoint) and a Confluent.Kafka consumer; the broker hosting the group's coordinator,
/// not broker 1, crashes. Both members find the coordinator on another broker and go on: nothing
/// they committed before the crash is read again (neither member crashed), everything produced
/// after it is read, and the new coordinator takes the commits of both.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class ThreeBrokerMixedGroupFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 6;
    private const int RecordsPerRound = 120;
    private const string Topic = "mixed-failover";
    private static readonly TimeSpan Timeout = KafkaCluster.Timeout;

    private KafkaCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await KafkaCluster.StartAsync(output, KafkaCluster.GroupSettings);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("range", PartitionAssignmentStrategy.Range)]
    [InlineData("cooperative-sticky", PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task Both_kinds_of_member_continue_from_their_commits_after_the_coordinator_broker_crashes(string actorStrategy, PartitionAssignmentStrategy kafkaStrategy)
    {
        var bootstrap = _cluster.Broker(1).Node;
        await _cluster.CreateReplicatedTopicAsync(Topic, Partitions);

        var (groupId, coordinator) = await _cluster.GroupNotCoordinatedByAsync(1, "mixed-failover");
        output.WriteLine($"group {groupId} is coordinated by broker {coordinator}");
        var group = new MixedGroup(groupId, Topic);
        var actor = group.StartActorMember("actor", [bootstrap], actorStrategy);
        try
        {
            using var kafka = group.StartKafkaMember("kafka", _cluster.Bootstrap, kafkaStrategy);
            Task SplitAsync() => Eventually.True(() =>
                {
                    group.AssertNoFailure();
                    var actorHeld = actor.Assignment.Select(p => p.Partition).ToList();
                    var kafkaHeld = kafka.Assignment.Select(p => p.Partition.Value).ToList();
                    return actorHeld.Count > 0 && kafkaHeld.Count > 0 && actorHeld.Count + kafkaHeld.Count == Partitions && actorHeld.Union(kafkaHeld).Count() == Partitions;
                }, Timeout,
                () => $"actor holds [{string.Join(",", actor.Assignment.Select(p => p.Partition))}], kafka holds [{string.Join(",", kafka.Assignment.Select(p => p.Partition.Value))}]");
            await SplitAsync();
            var before = Produce(1);
            await group.AllReadAsync(before, Timeout);
            Assert.Contains(group.Reads(), r => r.Member == "actor");
            Assert.Contains(group.Reads(), r => r.Member == "kafka");
            await CommittedAsync(bootstrap, groupId, RecordsPerRound);

            var crashed = DateTime.UtcNow;
            await _cluster.CrashCoordinatorAsync(groupId, coordinator);

            // librdkafka gives its partitions up when its session passes without a heartbeat answered
            // (the move takes longer than its 6 s session), and rejoins: wait for the group to settle.
            await SplitAsync();
            output.WriteLine($"both members hold partitions again {(DateTime.UtcNow - crashed).TotalSeconds:0.0} s after the crash");
            var after = Produce(2);
            await group.AllReadAsync([.. before, .. after], Timeout);
            var reads = group.Reads();
            var readTwice = reads.GroupBy(r => r.Value).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.DoesNotContain(readTwice, before.Contains);
            Assert.Contains(reads, r => r.Member == "actor" && after.Contains(r.Value));
            Assert.Contains(reads, r => r.Member == "kafka" && after.Contains(r.Value));
            await CommittedAsync(bootstrap, groupId, 2 * RecordsPerRound);
            output.WriteLine($"{reads.Count} records read for {before.Count + after.Count} produced, {readTwice.Count} read twice");
        }
        finally
        {
            await actor.DisposeAsync();
        }
    }

    /// <summary>Waits until the group's commits, summed over the partitions, reach <paramref name="total"/>.</summary>
    private static Task CommittedAsync(Broker.Hosting.BrokerNode node, string group, long total) =>
        Eventually.Reply<OffsetFetchResponse>(node.Gateway, new OffsetFetchRequest(group, null),
            r => r.Error == KafkaErrorCode.None && r.Partitions.Count == Partitions && r.Partitions.Sum(p => p.Offset) == total, Timeout);

    /// <summary>One round of records over the partitions, acknowledged by every in-sync replica; their values.</summary>
    private List<string> Produce(int round)
    {
        var config = new ProducerConfig { BootstrapServers = _cluster.Bootstrap, Acks = Confluent.Kafka.Acks.All, LingerMs = 5, MessageTimeoutMs = 60_000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        return KafkaClients.ProduceSpread(producer, Topic, Partitions, $"round-{round}-record", RecordsPerRound);
    }
}
