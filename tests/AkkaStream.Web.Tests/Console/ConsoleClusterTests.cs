using System.Text.Json;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Console;

/// <summary>
/// The console of one broker in a cluster of two: it lists both members with each one's health
/// asked of its own listener, shows the size of every replica (the other broker's asked of its
/// <c>/api/local/logs</c>), and charts the other broker through its listener.
/// </summary>
public sealed class ConsoleClusterTests(ReplicatedWebCluster fixture) : IClassFixture<ReplicatedWebCluster>
{
    private const string Topic = ReplicatedWebCluster.Topic;
    private readonly WebCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_brokers_console_shows_every_member_with_its_health_and_one_controller()
    {
        var http = _cluster.Brokers[1].Http;
        List<JsonElement> members = [];
        await Eventually.True(async () =>
        {
            members = (await http.GetJson("/api/cluster")).GetProperty("members").EnumerateArray().ToList();
            return members.Count == 2 && members.All(m => m.GetProperty("health").GetProperty("status").GetString() == "ready");
        }, TimeSpan.FromSeconds(60), "both brokers report ready through their own listeners");
        Assert.Equal([1, 2], members.Select(m => m.GetProperty("brokerId").GetInt32()));
        Assert.Equal([false, true], members.Select(m => m.GetProperty("isSelf").GetBoolean()));
        Assert.Single(members, m => m.GetProperty("isController").GetBoolean());
        // The controller singleton runs on the oldest broker.
        Assert.Equal(members.Single(m => m.GetProperty("isOldest").GetBoolean()).GetProperty("brokerId").GetInt32(),
            members.Single(m => m.GetProperty("isController").GetBoolean()).GetProperty("brokerId").GetInt32());
        Assert.Equal(_cluster.Brokers.Select(b => b.Server.HttpAddress!.ToString()), members.Select(m => m.GetProperty("http").GetString()));
    }

    [Fact]
    public async Task Every_replicas_size_is_gathered_from_the_broker_that_holds_it()
    {
        JsonElement partition = default;
        await Eventually.True(async () =>
        {
            var topic = await _cluster.Brokers[0].Http.GetJson($"/api/topics/{Topic}");
            partition = topic.GetProperty("partitions").EnumerateArray()
                .First(p => p.GetProperty("highWatermark").GetInt64() > 0);
            var sizes = partition.GetProperty("replicaSizes");
            // Followers catch up asynchronously: wait until both replicas hold the same bytes.
            return sizes.TryGetProperty("1", out var one) && sizes.TryGetProperty("2", out var two)
                && one.GetInt64() > 0 && one.GetInt64() == two.GetInt64();
        }, TimeSpan.FromSeconds(60), "both replicas' sizes are shown and equal once the follower caught up");
        var leader = partition.GetProperty("leader").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(partition.GetProperty("replicaSizes").GetProperty(leader).GetInt64(), partition.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task One_broker_charts_another_through_its_listener()
    {
        JsonElement charts = default;
        await Eventually.True(async () =>
        {
            charts = await _cluster.Brokers[0].Http.GetJson("/api/charts?broker=2");
            return charts.GetProperty("points").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(30), "broker 2 has chart points");
        Assert.Equal(2, charts.GetProperty("brokerId").GetInt32());
    }
}
