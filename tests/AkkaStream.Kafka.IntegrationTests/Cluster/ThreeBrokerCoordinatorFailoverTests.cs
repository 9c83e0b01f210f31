using System.Collections.Concurrent;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Protocol.Messages;
using Confluent.Kafka;
using Xunit.Abstractions;
using KafkaErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Cluster;

/// <summary>
/// Three brokers; the broker that hosts a group's coordinator crashes. Sharding starts the group's
/// entity on another broker once the dead one is downed (the split brain resolver's short test
/// settings, see <c>Nodes.Config</c>), the entity recovers the group's commits from the journal,
/// and the group's Confluent consumers find the new coordinator and go on from the committed
/// offsets: nothing read and committed before the crash is read again, and everything produced
/// after it is read.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class ThreeBrokerCoordinatorFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 3;
    private const int RecordsPerRound = 60;
    private static readonly TimeSpan Timeout = KafkaCluster.Timeout;

    private readonly ConcurrentQueue<(string Consumer, ConsumeResult<string, string> Record)> _consumed = new();
    private KafkaCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await KafkaCluster.StartAsync(output, KafkaCluster.GroupSettings);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Consumers_continue_from_the_committed_offsets_after_the_coordinator_broker_crashes()
    {
        var survivor = _cluster.Broker(1).Node;
        const string topic = "failover";
        await _cluster.CreateReplicatedTopicAsync(topic, Partitions);

        // A group whose coordinator is not on broker 1, which runs the controller: the crash then
        // tests the coordinator's move, not also a controller's.
        var (group, coordinator) = await _cluster.GroupNotCoordinatedByAsync(1, "failover");
        output.WriteLine($"group {group} is coordinated by broker {coordinator}");

        using var a = GroupConsumer.Start("a", _cluster.Bootstrap, group, topic, _consumed);
        using var b = GroupConsumer.Start("b", _cluster.Bootstrap, group, topic, _consumed);
        await Eventually.True(() => Held(a, b) == Partitions && a.Assignment.Count > 0 && b.Assignment.Count > 0, Timeout,
            () => $"a holds {a.Assignment.Count}, b holds {b.Assignment.Count} partitions");
        var before = Produce(1);
        await AllReadAsync(before, a, b);
        var committed = await Eventually.Reply<OffsetFetchResponse>(survivor.Gateway, new OffsetFetchRequest(group, null),
            r => r.Error == KafkaErrorCode.None && r.Partitions.Count == Partitions && r.Partitions.Sum(p => p.Offset) == RecordsPerRound);
        output.WriteLine($"committed before the crash: {string.Join(", ", committed.Partitions.Select(p => $"{p.Partition}@{p.Offset}"))}");

        await _cluster.CrashCoordinatorAsync(group, coordinator);

        var after = Produce(2);
        await AllReadAsync([.. before, .. after], a, b);
        // Resumed from the commits: no record of the first round was read twice.
        var readTwice = _consumed.GroupBy(r => r.Record.Message.Value).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.DoesNotContain(readTwice, before.Contains);
        // And the new coordinator takes the consumers' commits.
        await Eventually.Reply<OffsetFetchResponse>(survivor.Gateway, new OffsetFetchRequest(group, null),
            r => r.Error == KafkaErrorCode.None && r.Partitions.Sum(p => p.Offset) == 2 * RecordsPerRound, Timeout);
        output.WriteLine($"{_consumed.Count} records read for {before.Count + after.Count} produced; commits that failed: {a.CommitErrors.Count + b.CommitErrors.Count}");
    }

    private static int Held(params GroupConsumer[] members) => members.SelectMany(m => m.Assignment).Select(p => p.Partition.Value).Distinct().Count();

    private async Task AllReadAsync(List<string> produced, params GroupConsumer[] members) =>
        await Eventually.True(() =>
        {
            foreach (var member in members)
            {
                if (member.Failure is { } failure) Assert.Fail($"{member.Name} failed: {failure}");
            }
            var read = _consumed.Select(r => r.Record.Message.Value).ToHashSet();
            return produced.All(read.Contains);
        }, Timeout, () => $"{_consumed.Count} records read of {produced.Count} produced");

    /// <summary>One round of records over the partitions, acknowledged by every in-sync replica; their values.</summary>
    private List<string> Produce(int round)
    {
        var config = new ProducerConfig { BootstrapServers = _cluster.Bootstrap, Acks = Confluent.Kafka.Acks.All, LingerMs = 5, MessageTimeoutMs = 60_000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        return KafkaClients.ProduceSpread(producer, "failover", Partitions, $"round-{round}-record", RecordsPerRound);
    }
}
