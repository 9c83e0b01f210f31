using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Partitions;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.Partitions;

public sealed class AllocationStrategyTests : TestKit
{
    [Fact]
    public async Task Shards_go_to_the_broker_named_in_their_id_else_to_the_requester_and_never_move()
    {
        var regions = new[] { CreateTestProbe().Ref, CreateTestProbe().Ref, CreateTestProbe().Ref };
        var strategy = new BrokerShardAllocationStrategy(region => Array.IndexOf(regions, region) + 1);
        var allocations = regions.ToImmutableDictionary(r => r, _ => (IImmutableList<string>)ImmutableList<string>.Empty);

        var id = new PartitionEntityId(new TopicPartition("orders-eu", 7), 4, 3).ToString();
        Assert.Equal("orders-eu-7#e4@b3", id);
        Assert.Same(regions[2], await strategy.AllocateShard(regions[0], id, allocations));
        Assert.Same(regions[1], await strategy.AllocateShard(regions[1], "orders-7#e4@b9", allocations));
        Assert.Same(regions[0], await strategy.AllocateShard(regions[0], "not-an-entity-id", allocations));
        Assert.Empty(await strategy.Rebalance(allocations, ImmutableHashSet<string>.Empty));
    }

    [Theory]
    [InlineData("a-b-c-12#e0@b1", "a-b-c", 12, 0, 1)]
    [InlineData("x#y-1#e2@b3", "x#y", 1, 2, 3)]
    public void Entity_ids_parse_from_the_right(string text, string topic, int partition, int epoch, int broker)
    {
        Assert.True(PartitionEntityId.TryParse(text, out var id));
        Assert.Equal(new PartitionEntityId(new TopicPartition(topic, partition), epoch, broker), id);
    }

    [Theory]
    [InlineData("orders-1")]
    [InlineData("orders#e1@b1")]
    [InlineData("orders-x#e1@b1")]
    public void Malformed_entity_ids_do_not_parse(string text) => Assert.False(PartitionEntityId.TryParse(text, out _));
}
