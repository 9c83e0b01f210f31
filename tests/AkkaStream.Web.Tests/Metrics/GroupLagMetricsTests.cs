using System.Text;
using Akka.Actor;
using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Metrics;

/// <summary>Consumer group lag per partition, as the coordinating broker's <c>/metrics</c> reports it.</summary>
public sealed class GroupLagMetricsTests
{
    private const string Lag = "akkastream_consumer_group_lag";

    [Fact]
    public async Task A_group_lags_by_the_records_after_its_commit_and_not_at_all_once_it_commits_the_end()
    {
        await using var broker = await WebBroker.StartAsync();
        await using var client = ClientFor.Create([broker.Server.Node]);
        await client.Admin.CreateTopicAsync("lagging", 2, 1);
        await using (var producer = client.CreateProducer())
        {
            for (var i = 0; i < 10; i++) await producer.ProduceAsync("lagging", null, Encoding.UTF8.GetBytes($"v{i}"), partition: 0);
            for (var i = 0; i < 3; i++) await producer.ProduceAsync("lagging", null, Encoding.UTF8.GetBytes($"w{i}"), partition: 1);
        }

        await CommitAsync(broker, "billing", ("lagging", 0, 4), ("lagging", 1, 3));
        await Eventually.True(async () => (await broker.ScrapeAsync()).Has(Lag, ("group", "billing")), TimeSpan.FromSeconds(60),
            "the group's lag is reported");
        var lagging = await broker.ScrapeAsync();
        Assert.Equal(6, lagging.Sum(Lag, ("group", "billing"), ("topic", "lagging"), ("partition", "0")));
        Assert.Equal(0, lagging.Sum(Lag, ("group", "billing"), ("topic", "lagging"), ("partition", "1")));

        await CommitAsync(broker, "billing", ("lagging", 0, 10));
        var caughtUp = await broker.ScrapeAsync();
        Assert.Equal(0, caughtUp.Sum(Lag, ("group", "billing"), ("topic", "lagging"), ("partition", "0")));
        Assert.True(caughtUp.Has(Lag, ("group", "billing"), ("topic", "lagging"), ("partition", "0")));
    }

    /// <summary>A standalone commit (no member, generation -1), as Kafka's simple consumers make.</summary>
    private static async Task CommitAsync(WebBroker broker, string group, params (string Topic, int Partition, long Offset)[] offsets)
    {
        var partitions = offsets.Select(o => new OffsetCommitPartition(o.Topic, o.Partition, o.Offset, -1, null)).ToArray();
        var response = await broker.Server.Node.Gateway.Ask<OffsetCommitResponse>(new OffsetCommitRequest(group, -1, "", null, partitions),
            TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorCode.None, response.Error);
        Assert.All(response.Partitions, p => Assert.Equal(ErrorCode.None, p.Error));
    }
}
