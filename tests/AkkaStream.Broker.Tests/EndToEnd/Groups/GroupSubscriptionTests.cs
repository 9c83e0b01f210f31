using System.Text.RegularExpressions;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>A group consumer subscribed by pattern picks up topics created after it joined.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupSubscriptionTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private BrokerNode _node = null!;
    private AkkaStreamClient _admin = null!;

    public async Task InitializeAsync()
    {
        _node = await BrokerNode.StartAsync(GroupNodes.Config(_dir));
        await Eventually.True(() => _node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
        _admin = ClientFor.Create([_node]);
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }

    private async Task Create(string topic, int partitions) =>
        Assert.Equal(ErrorCode.None, (await _admin.Admin.CreateTopicAsync(topic, partitions, replicationFactor: 1)).Error);

    [Fact]
    public async Task A_pattern_subscription_takes_the_partitions_of_matching_topics_created_later()
    {
        await Create("metrics-cpu", 2);
        await Create("orders", 1);
        await using var client = ClientFor.Create([_node], GroupNodes.ClientConfig("range", TimeSpan.FromSeconds(3)));
        await using var consumer = client.CreateGroupConsumer("by-pattern");
        consumer.Subscribe(new Regex("metrics-.*"));

        // Polls (which is how rebalances reach the consumer) until it owns partitions of exactly these topics.
        async Task PollUntilOwning(params string[] topics)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!consumer.Assignment.Select(tp => tp.Topic).Distinct().Order().SequenceEqual(topics.Order()))
            {
                Assert.True(DateTime.UtcNow < deadline, $"owns {string.Join(",", consumer.Assignment)}, not partitions of {string.Join(",", topics)}");
                await consumer.PollAsync(TimeSpan.FromMilliseconds(200));
            }
        }

        await PollUntilOwning("metrics-cpu");
        Assert.Equal(2, consumer.Assignment.Count);

        await Create("metrics-disk", 3);
        await Create("metrics", 1);
        await PollUntilOwning("metrics-cpu", "metrics-disk");
        Assert.Equal(5, consumer.Assignment.Count);
        Assert.DoesNotContain(consumer.Assignment, tp => tp.Topic is "orders" or "metrics");
    }
}
