using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.IntegrationTests.Support;
using Confluent.Kafka;

namespace AkkaStream.Kafka.IntegrationTests.Clients;

/// <summary>
/// Who a group's members are, as Kafka's tools show it: a Confluent.Kafka consumer and an
/// actor-client member share a group, and both Confluent's AdminClient (DescribeGroups over the
/// Kafka listener) and the actor client's admin describe each member with the client id it
/// configured and the host it connects from, <c>/127.0.0.1</c> (the Kafka member's from its
/// connection, the actor-client member's from its ActorSystem's address).
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class GroupMemberClientTests(KafkaBrokerFixture broker)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kafka_and_actor_client_members_are_described_with_their_client_id_and_host()
    {
        var topic = await broker.CreateTopicAsync("member-clients", 2);
        var group = new MixedGroup($"member-clients-{Guid.NewGuid():N}", topic);
        using var kafka = group.StartKafkaMember("kafka-reader", broker.BootstrapServers, PartitionAssignmentStrategy.Range);
        await Eventually.True(() => kafka.Assignment.Count == 2, Timeout, () => $"kafka-reader holds {kafka.Assignment.Count} partition(s)");
        var actor = group.StartActorMember("actor-reader", [broker.Broker.Node], "range");
        try
        {
            await Eventually.True(() =>
            {
                group.AssertNoFailure();
                return kafka.Assignment.Count == 1 && actor.Assignment.Count == 1;
            }, Timeout, () => $"kafka-reader holds {kafka.Assignment.Count}, actor-reader {actor.Assignment.Count}");
            var actorMemberId = (await actor.Consumer.MembershipAsync()).MemberId;

            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
            var described = Assert.Single((await admin.DescribeConsumerGroupsAsync([group.Group])).ConsumerGroupDescriptions);
            Assert.Equal(ConsumerGroupState.Stable, described.State);
            Assert.Equal(
                [("actor-reader", "/127.0.0.1", true), ("kafka-reader", "/127.0.0.1", false)],
                described.Members.Select(m => (m.ClientId, m.Host, m.ConsumerId == actorMemberId)).OrderBy(m => m.ClientId));

            await using var client = ClientFor.Create([broker.Broker.Node]);
            var ours = await client.Admin.DescribeConsumerGroupAsync(group.Group);
            Assert.Equal(
                described.Members.Select(m => (m.ConsumerId, m.ClientId, m.Host)).OrderBy(m => m.ConsumerId),
                ours.Members.Select(m => (m.MemberId, m.ClientId, m.ClientHost)).OrderBy(m => m.MemberId));
        }
        finally
        {
            await actor.DisposeAsync();
        }
    }
}
