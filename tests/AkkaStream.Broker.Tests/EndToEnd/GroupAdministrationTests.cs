using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client;
using AkkaStream.Client.Admin;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary>
/// The admin client's group calls against a real broker and a real group consumer: list, describe
/// with assignments and lag, reset-offsets refused while the group has members and applied once it
/// is empty, delete.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupAdministrationTests : IAsyncLifetime
{
    private const string Topic = "ga-orders";
    private readonly TempDir _dir = new();
    private BrokerNode _node = null!;
    private AkkaStreamClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db"), null,
            "akkastream.groups.initial-rebalance-delay = 0s", "akkastream.groups.min-session-timeout = 1s"));
        await Eventually.True(() => _node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
        _client = ClientFor.Create([_node],
            "akkastream.client.consumer { auto-offset-reset = earliest, session-timeout = 3s, heartbeat-interval = 300ms, enable-auto-commit = off }");
        await _client.Admin.CreateTopicAsync(Topic, partitions: 3, replicationFactor: 1);
        await Eventually.True(() => _node.Metadata.Current.Partition(Topic, 2) is { Leader: 1 }, because: "the topic has leaders");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }

    [Fact]
    public async Task A_group_is_described_with_its_lag_reset_once_empty_and_deleted()
    {
        await ProduceAsync(partition: 0, count: 4);
        await ProduceAsync(partition: 1, count: 2);
        var consumer = _client.CreateGroupConsumer("ga-billing");
        consumer.Subscribe([Topic]);
        await ConsumeAsync(consumer, 6);
        await consumer.CommitAsync();
        await ProduceAsync(partition: 0, count: 5);

        var stable = await _client.Admin.DescribeConsumerGroupAsync("ga-billing");
        var member = Assert.Single(stable.Members);
        Assert.Equal(("Stable", "consumer"), (stable.State, stable.ProtocolType));
        Assert.Equal([new(Topic, 0), new(Topic, 1), new(Topic, 2)], member.Assigned.Order());
        Assert.Equal(
        [
            new GroupPartitionLag(new(Topic, 0), member.MemberId, 4, 9, 5),
            new GroupPartitionLag(new(Topic, 1), member.MemberId, 2, 2, 0),
            // Nothing consumed from partition 2 yet, so nothing committed: no lag to show.
            new GroupPartitionLag(new(Topic, 2), member.MemberId, null, 0, null),
        ], stable.Partitions);

        var refused = await Assert.ThrowsAsync<AkkaStreamException>(() =>
            _client.Admin.ResetGroupOffsetsAsync("ga-billing", [new(Topic, 0)], new OffsetResetTarget.Earliest(), dryRun: false));
        Assert.Equal(ErrorCode.NonEmptyGroup, refused.Code);

        await consumer.DisposeAsync();
        await Eventually.True(async () => (await _client.Admin.DescribeGroupAsync("ga-billing")).State == "Empty", because: "the member left");
        Assert.Contains(await _client.Admin.ListGroupsAsync(), g => g is { GroupId: "ga-billing", ProtocolType: "consumer", State: "Empty" });

        var dryRun = await _client.Admin.ResetGroupOffsetsAsync("ga-billing", [new(Topic, 0), new(Topic, 1)], new OffsetResetTarget.ShiftBy(-3), dryRun: true);
        Assert.Equal([new PlannedOffset(new(Topic, 0), 4, 1), new PlannedOffset(new(Topic, 1), 2, 0)], dryRun);
        Assert.Equal(4, await CommittedAsync(new(Topic, 0)));

        var executed = await _client.Admin.ResetGroupOffsetsAsync("ga-billing", [new(Topic, 0)], new OffsetResetTarget.Latest(), dryRun: false);
        Assert.Equal([new PlannedOffset(new(Topic, 0), 4, 9)], executed);
        Assert.Equal(9, await CommittedAsync(new(Topic, 0)));

        await _client.Admin.DeleteGroupAsync("ga-billing");
        Assert.DoesNotContain(await _client.Admin.ListGroupsAsync(), g => g.GroupId == "ga-billing");
        Assert.Empty(await _client.Admin.ListGroupOffsetsAsync("ga-billing"));
        var again = await Assert.ThrowsAsync<AkkaStreamException>(() => _client.Admin.DeleteGroupAsync("ga-billing"));
        Assert.Equal(ErrorCode.GroupIdNotFound, again.Code);
    }

    [Fact]
    public async Task Offsets_of_a_group_that_never_had_members_are_reset_to_a_time()
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ProduceAsync(partition: 2, count: 3, timestamp: start - 60_000);
        await ProduceAsync(partition: 2, count: 2, timestamp: start);

        var plan = await _client.Admin.ResetGroupOffsetsAsync("ga-replay", [new(Topic, 2)], new OffsetResetTarget.ToTimestamp(start - 1), dryRun: false);

        Assert.Equal([new PlannedOffset(new(Topic, 2), null, 3)], plan);
        var described = await _client.Admin.DescribeConsumerGroupAsync("ga-replay");
        Assert.Equal(("Empty", 0), (described.State, described.Members.Count));
        Assert.Equal([new GroupPartitionLag(new(Topic, 2), null, 3, 5, 2)], described.Partitions);
    }

    private async Task<long?> CommittedAsync(TopicPartition tp) =>
        (await _client.Admin.ListGroupOffsetsAsync("ga-billing")).FirstOrDefault(o => o.Topic == tp.Topic && o.Partition == tp.Partition)?.Offset;

    private async Task ProduceAsync(int partition, int count, long? timestamp = null)
    {
        var producer = _client.CreateProducer();
        await using (producer)
        {
            for (var i = 0; i < count; i++)
            {
                await producer.ProduceAsync(Topic, null, [(byte)i], timestamp: timestamp, partition: partition);
            }
        }
    }

    private static async Task ConsumeAsync(Client.Groups.AkkaStreamGroupConsumer consumer, int count)
    {
        var seen = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (seen < count && DateTime.UtcNow < deadline)
        {
            seen += (await consumer.PollAsync(TimeSpan.FromMilliseconds(500))).Count;
        }
        Assert.Equal(count, seen);
    }
}
