using System.Collections.Concurrent;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Protocol.Messages;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Clients;

/// <summary>
/// Confluent.Kafka consumers in one group, with librdkafka's own assignors (the eager range and
/// the incremental cooperative-sticky): three consumers share a six-partition topic, the others
/// take over when one leaves, and a new consumer of the group starts where the group's commits
/// left off. Every produced record is read exactly once across all of them. Records are produced
/// only while the group is stable, so that no commit meets a rebalance.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class ConsumerGroupTests(KafkaBrokerFixture broker)
{
    private const int Partitions = 6;
    private const int RecordsPerRound = 120;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<(string Consumer, ConsumeResult<string, string> Record)> _consumed = new();

    [Theory]
    [InlineData(PartitionAssignmentStrategy.Range)]
    [InlineData(PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task Consumers_share_the_partitions_take_over_and_resume_from_commits_reading_every_record_once(PartitionAssignmentStrategy strategy)
    {
        var topic = await broker.CreateTopicAsync("group-shared", Partitions);
        var group = $"shared-{strategy}-{Guid.NewGuid():N}";
        var produced = new List<string>();
        GroupConsumer Start(string name) => GroupConsumer.Start(name, broker.BootstrapServers, group, topic, _consumed, strategy);

        using var a = Start("a");
        using var b = Start("b");
        using var c = Start("c");
        await EveryPartitionHeldAsync([a, b, c], expectedEach: 2);
        produced.AddRange(Produce(topic, round: 1));
        await AllReadAsync(produced, [a, b, c]);
        Assert.All(new[] { a, b, c }, m => Assert.Contains(_consumed, r => r.Consumer == m.Name));
        await AdministratorSeesAsync(group, strategy, members: 3);

        // c leaves: a and b take over its partitions.
        var cHeld = c.Assignment.Select(p => p.Partition.Value).ToList();
        c.Stop();
        await EveryPartitionHeldAsync([a, b], expectedEach: 3);
        produced.AddRange(Produce(topic, round: 2));
        await AllReadAsync(produced, [a, b]);
        Assert.All(cHeld, p => Assert.Contains(_consumed, r => r.Consumer != "c" && r.Record.Partition.Value == p && r.Record.Offset.Value >= RecordsPerRound / Partitions));

        // Everyone leaves; a new consumer of the group starts from the committed offsets.
        a.Stop();
        b.Stop();
        produced.AddRange(Produce(topic, round: 3));
        using var d = Start("d");
        await AllReadAsync(produced, [d]);
        var readByD = _consumed.Where(r => r.Consumer == "d").Select(r => r.Record).ToList();
        Assert.Equal(RecordsPerRound, readByD.Count);
        Assert.All(readByD.GroupBy(r => r.Partition.Value), p => Assert.Equal(2 * RecordsPerRound / Partitions, p.Min(r => r.Offset.Value)));

        // Each record once, and the group's commits are at the end of every partition.
        Assert.Equal(produced.Count, _consumed.Count);
        Assert.Equal(produced.Order(), _consumed.Select(r => r.Record.Message.Value).Order());
        var committed = await Eventually.Reply<OffsetFetchResponse>(broker.Broker.Node.Gateway, new OffsetFetchRequest(group, null),
            r => r.Error == KafkaErrorCode.None && r.Partitions.Count == Partitions && r.Partitions.All(p => p.Offset == 3 * RecordsPerRound / Partitions));
        Assert.All(committed.Partitions, p => Assert.Equal(topic, p.Topic));
    }

    /// <summary>
    /// Confluent's AdminClient lists the group as stable and describes its members with their
    /// assignments, which it decodes from the consumer protocol's bytes the coordinator keeps.
    /// </summary>
    private async Task AdministratorSeesAsync(string group, PartitionAssignmentStrategy strategy, int members)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Stable] });
        Assert.Contains(listed.Valid, g => g.GroupId == group && g.State == ConsumerGroupState.Stable);
        var described = Assert.Single((await admin.DescribeConsumerGroupsAsync([group])).ConsumerGroupDescriptions);
        Assert.Equal(ConsumerGroupState.Stable, described.State);
        Assert.Equal(strategy == PartitionAssignmentStrategy.Range ? "range" : "cooperative-sticky", described.PartitionAssignor);
        Assert.Equal(members, described.Members.Count);
        Assert.Equal(Partitions, described.Members.SelectMany(m => m.Assignment.TopicPartitions).Distinct().Count());
    }

    /// <summary>Waits until <paramref name="members"/> hold every partition between them, each <paramref name="expectedEach"/>.</summary>
    private static Task EveryPartitionHeldAsync(GroupConsumer[] members, int expectedEach) =>
        Eventually.True(() =>
            {
                NoFailure(members);
                var held = members.SelectMany(m => m.Assignment).Select(p => p.Partition.Value).ToList();
                return members.All(m => m.Assignment.Count == expectedEach) && held.Distinct().Count() == Partitions && held.Count == Partitions;
            }, Timeout,
            () => string.Join("; ", members.Select(m => $"{m.Name} holds [{string.Join(",", m.Assignment.Select(p => p.Partition.Value))}]")));

    private async Task AllReadAsync(List<string> produced, GroupConsumer[] members)
    {
        await Eventually.True(() =>
        {
            NoFailure(members);
            return _consumed.Count >= produced.Count;
        }, Timeout, () => $"{_consumed.Count} of {produced.Count} records read");
    }

    private static void NoFailure(GroupConsumer[] members)
    {
        foreach (var member in members)
        {
            if (member.Failure is { } failure) Assert.Fail($"{member.Name} failed: {failure}");
            // The group changes only while no record is in flight, so no commit should meet a rebalance.
            Assert.True(member.CommitErrors.IsEmpty, $"{member.Name}'s commits failed: {string.Join("; ", member.CommitErrors)}");
        }
    }

    /// <summary>Produces one round of records, spread evenly over the partitions; their values.</summary>
    private List<string> Produce(string topic, int round)
    {
        using var producer = KafkaClients.Producer(broker);
        return KafkaClients.ProduceSpread(producer, topic, Partitions, $"round-{round}-record", RecordsPerRound);
    }
}
