using AkkaStream.Broker.Tests.EndToEnd.Groups;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Protocol.Messages;
using Confluent.Kafka;
using KafkaErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Clients;

/// <summary>
/// One consumer group shared by an actor-client group consumer and Confluent.Kafka consumers: both
/// join with protocol type "consumer" and Kafka's ConsumerProtocol bytes, so whichever is the leader
/// assigns for both. The six partitions are split between the two kinds; when a Confluent consumer
/// leaves, the actor-client member takes its partitions from its commits, and when the actor-client
/// member leaves, a Confluent consumer takes them from its commits. Records are produced only while
/// the group is stable and both kinds commit what they processed before giving partitions up, so
/// every record is read exactly once across the group. Each kind leads the group once, so each
/// assigns partitions to the other.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class MixedConsumerGroupTests(KafkaBrokerFixture broker)
{
    private const int Partitions = 6;
    private const int RecordsPerRound = 120;
    private const int PerPartition = RecordsPerRound / Partitions;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The actor-client member's assignors, and the Confluent consumers' assignor. The last case has
    /// an eager member (it offers range too, so it revokes everything on each rebalance, Kafka's rule)
    /// in a group whose only common protocol is cooperative-sticky, beside cooperative members.
    /// </summary>
    [Theory]
    [InlineData(new[] { "range" }, PartitionAssignmentStrategy.Range)]
    [InlineData(new[] { "cooperative-sticky" }, PartitionAssignmentStrategy.CooperativeSticky)]
    [InlineData(new[] { "range", "cooperative-sticky" }, PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task Actor_client_and_Kafka_consumers_share_a_group_and_resume_from_each_others_commits(string[] actorStrategies, PartitionAssignmentStrategy kafkaStrategy)
    {
        var topic = await broker.CreateTopicAsync("mixed-group", Partitions);
        var group = new MixedGroup($"mixed-{kafkaStrategy}-{Guid.NewGuid():N}", topic);
        var produced = new List<string>();
        var protocol = kafkaStrategy == PartitionAssignmentStrategy.Range ? "range" : "cooperative-sticky";
        // a joins first and so leads the group: librdkafka assigns for the actor-client member.
        using var a = group.StartKafkaMember("a", broker.BootstrapServers, kafkaStrategy);
        await HeldAsync(group, () => a.Assignment.Select(p => p.Partition.Value).ToList(), "a");
        var actor = group.StartActorMember("actor", [broker.Broker.Node], actorStrategies);
        var actorClosed = false;
        try
        {
            await SplitAsync(group, actor, a);
            var membership = await actor.Consumer.MembershipAsync();
            Assert.False(membership.IsLeader);
            Assert.Equal(protocol, membership.Protocol);
            produced.AddRange(Produce(topic, round: 1));
            await group.AllReadAsync(produced, Timeout);
            Assert.Contains(group.Reads(), r => r.Member == "actor");
            Assert.Contains(group.Reads(), r => r.Member == "a");
            await CommittedAsync(group.Group, PerPartition);

            // a leaves: the actor-client member takes its partitions from a's commits.
            var aHeld = a.Assignment.Select(p => p.Partition.Value).ToList();
            a.Stop();
            await HeldAsync(group, () => actor.Assignment.Select(p => p.Partition).ToList(), "actor");
            produced.AddRange(Produce(topic, round: 2));
            await group.AllReadAsync(produced, Timeout);
            Assert.All(aHeld, p => Assert.Equal(PerPartition, FirstOffset(group, "actor", p)));
            await CommittedAsync(group.Group, 2 * PerPartition);

            // b joins beside the actor-client member, which then leaves: b takes everything from its commits.
            using var b = group.StartKafkaMember("b", broker.BootstrapServers, kafkaStrategy);
            await SplitAsync(group, actor, b);
            // The actor-client member, left alone, became the leader: it assigned for b.
            membership = await actor.Consumer.MembershipAsync();
            Assert.True(membership.IsLeader);
            Assert.Equal(protocol, membership.Protocol);
            await actor.DisposeAsync();
            actorClosed = true;
            await HeldAsync(group, () => b.Assignment.Select(p => p.Partition.Value).ToList(), "b");
            produced.AddRange(Produce(topic, round: 3));
            await group.AllReadAsync(produced, Timeout);
            Assert.All(Enumerable.Range(0, Partitions), p => Assert.Equal(2 * PerPartition, FirstOffset(group, "b", p)));
            await CommittedAsync(group.Group, 3 * PerPartition);

            // Each record once: no partition was ever read by two members at once, nor read again from an old commit.
            group.AssertNoFailure();
            Assert.Equal(produced.Order(), group.Reads().Select(r => r.Value).Order());
        }
        finally
        {
            if (!actorClosed) await actor.DisposeAsync();
        }
    }

    /// <summary>Waits until the actor-client member and the Confluent consumer hold three partitions each, none of them both.</summary>
    private static Task SplitAsync(MixedGroup group, GroupMemberRunner actor, GroupConsumer kafka) =>
        Eventually.True(() =>
            {
                group.AssertNoFailure();
                var actorHeld = actor.Assignment.Select(p => p.Partition).ToList();
                var kafkaHeld = kafka.Assignment.Select(p => p.Partition.Value).ToList();
                return actorHeld.Count == Partitions / 2 && kafkaHeld.Count == Partitions / 2 && actorHeld.Union(kafkaHeld).Count() == Partitions;
            }, Timeout,
            () => $"{actor.Name} holds [{string.Join(",", actor.Assignment.Select(p => p.Partition))}], {kafka.Name} holds [{string.Join(",", kafka.Assignment.Select(p => p.Partition.Value))}]");

    /// <summary>Waits until one member holds every partition.</summary>
    private static Task HeldAsync(MixedGroup group, Func<IReadOnlyList<int>> held, string member) =>
        Eventually.True(() =>
        {
            group.AssertNoFailure();
            return held().Distinct().Count() == Partitions;
        }, Timeout, () => $"{member} holds [{string.Join(",", held())}]");

    private static long FirstOffset(MixedGroup group, string member, int partition) =>
        group.Reads().Where(r => r.Member == member && r.Partition == partition).Min(r => r.Offset);

    /// <summary>Waits until the group's commits stand at <paramref name="offset"/> on every partition.</summary>
    private Task CommittedAsync(string group, long offset) =>
        Eventually.Reply<OffsetFetchResponse>(broker.Broker.Node.Gateway, new OffsetFetchRequest(group, null),
            r => r.Error == KafkaErrorCode.None && r.Partitions.Count == Partitions && r.Partitions.All(p => p.Offset == offset), Timeout);

    /// <summary>Produces one round of records, spread evenly over the partitions; their values.</summary>
    private List<string> Produce(string topic, int round)
    {
        using var producer = KafkaClients.Producer(broker);
        return KafkaClients.ProduceSpread(producer, topic, Partitions, $"round-{round}-record", RecordsPerRound);
    }
}
