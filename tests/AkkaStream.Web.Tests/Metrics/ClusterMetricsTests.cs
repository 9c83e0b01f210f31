using System.Text;
using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Metrics;

/// <summary>
/// Replication and controller metrics of three brokers in one process, read through each one's
/// <c>/metrics</c>: one active controller, leaders summing to the partitions, and a stopped
/// follower raising under-replicated partitions, ISR shrinks, under-min-ISR partitions and (for a
/// partition it alone held) offline partitions, which all clear once it is back and caught up,
/// with ISR expansions.
/// </summary>
public sealed class ClusterMetricsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static readonly string[] ShortReplicationTimes =
    [
        "akkastream.replica-lag-time-max = 2s",
        .. Nodes.QuickReplication,
    ];

    /// <summary>Polls every running broker's metrics until <paramref name="condition"/> holds; fails showing the last figures.</summary>
    private static async Task<Dictionary<int, PrometheusText>> ScrapeUntil(WebCluster cluster, Func<Dictionary<int, PrometheusText>, bool> condition, string because)
    {
        Dictionary<int, PrometheusText> scrapes = [];
        try
        {
            await Eventually.True(async () => condition(scrapes = await cluster.ScrapeAllAsync()), Bound, because);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Assert.Fail($"{e.Message}; last seen: {Describe(scrapes)}");
        }
        return scrapes;
    }

    private static string Describe(Dictionary<int, PrometheusText> scrapes) => string.Join("; ", scrapes.Select(s =>
        $"broker {s.Key}: " + string.Join(", ", new[]
        {
            "akkastream_active_controller", "akkastream_leader_partitions", "akkastream_partitions", "akkastream_under_replicated_partitions",
            "akkastream_offline_partitions", "akkastream_isr_shrinks_total", "akkastream_isr_expands_total",
        }.Select(name => $"{name["akkastream_".Length..]}={s.Value.Sum(name)}"))));

    [Fact]
    public async Task A_stopped_follower_raises_under_replicated_and_offline_partitions_until_it_returns_and_catches_up()
    {
        await using var cluster = await WebCluster.StartAsync(3, ShortReplicationTimes);
        await using var client = ClientFor.Create(cluster.Running.Select(id => cluster.Server(id).Node));
        await client.Admin.CreateTopicAsync("replicated", 3, 3);
        await client.Admin.CreateTopicAsync("single", 3, 1);
        // Every replica must be in sync for acks=all: losing one puts it under its min ISR.
        await client.Admin.CreateTopicAsync("strict", 1, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "3" });
        await using (var producer = client.CreateProducer())
        {
            for (var i = 0; i < 30; i++) await producer.ProduceAsync("replicated", $"k{i}", $"v{i}");
        }

        // Six partitions, each led by exactly one broker; one controller.
        var scrapes = await ScrapeUntil(cluster, all => all.Values.Sum(s => s.Sum("akkastream_leader_partitions")) == 7
            && all.Values.Sum(s => s.Sum("akkastream_under_replicated_partitions")) == 0, "the seven partitions are led and fully replicated");
        Assert.Equal(1, scrapes.Values.Sum(s => s.Sum("akkastream_active_controller")));
        Assert.Equal(3 * 3 + 3 + 3, scrapes.Values.Sum(s => s.Sum("akkastream_partitions")));
        Assert.Equal(0, scrapes.Values.Sum(s => s.Sum("akkastream_under_min_isr_partitions")));
        // Each record of the replicated topic goes from its leader to two followers; the single-replica topic has none.
        scrapes = await ScrapeUntil(cluster, all =>
        {
            var appended = all.Values.Sum(s => s.Sum("akkastream_topic_bytes_in_total", ("topic", "replicated")));
            return appended > 0
                && all.Values.Sum(s => s.Sum("akkastream_topic_replication_bytes_in_total", ("topic", "replicated"))) >= 2 * appended
                && all.Values.Sum(s => s.Sum("akkastream_topic_replication_bytes_out_total", ("topic", "replicated"))) >= 2 * appended;
        }, "the followers fetched and appended every byte of the replicated topic");
        Assert.Equal(0, scrapes.Values.Sum(s => s.Sum("akkastream_topic_replication_bytes_in_total", ("topic", "single"))));
        Assert.Equal(0, scrapes.Values.Sum(s => s.Sum("akkastream_topic_replication_bytes_out_total", ("topic", "single"))));
        var controller = scrapes.Single(s => s.Value.Sum("akkastream_active_controller") == 1).Key;
        var victim = cluster.Running.First(id => id != controller);

        await cluster.StopBrokerAsync(victim);
        // The controller takes the stopped broker out of every ISR; the records written meanwhile are
        // what it has to catch up on when it returns.
        await using (var producer = client.CreateProducer())
        {
            for (var partition = 0; partition < 3; partition++)
            {
                await producer.ProduceAsync("replicated", null, Encoding.UTF8.GetBytes($"after-{partition}"), partition: partition);
            }
        }
        // acks=1: an acks=all write to the strict topic would be refused once its ISR shrinks.
        await using (var producer = client.CreateProducer(client.Settings.Producer with { Acks = Acks.Leader, EnableIdempotence = false }))
        {
            await producer.ProduceAsync("strict", "k", "after");
        }

        scrapes = await ScrapeUntil(cluster, all => all.Values.Sum(s => s.Sum("akkastream_under_replicated_partitions")) == 4
            && all.Values.Sum(s => s.Sum("akkastream_isr_shrinks_total")) >= 1
            && all.Values.Sum(s => s.Sum("akkastream_under_min_isr_partitions")) == 1
            && all[controller].Sum("akkastream_offline_partitions") == 1,
            "every replicated partition lacks the stopped follower, the strict one is under its min ISR, and its single-replica partition is offline");
        // The stopped broker's single-replica partition has no leader; the other six do.
        Assert.Equal(6, scrapes.Values.Sum(s => s.Sum("akkastream_leader_partitions")));
        Assert.All(scrapes.Where(s => s.Key != controller), s => Assert.Equal(0, s.Value.Sum("akkastream_offline_partitions")));
        var expandsBefore = scrapes.Values.Sum(s => s.Sum("akkastream_isr_expands_total"));

        await cluster.StartBrokerAsync(victim);

        scrapes = await ScrapeUntil(cluster, all => all.Count == 3
            && all.Values.Sum(s => s.Sum("akkastream_under_replicated_partitions")) == 0
            && all.Values.Sum(s => s.Sum("akkastream_offline_partitions")) == 0
            && all.Values.Sum(s => s.Sum("akkastream_under_min_isr_partitions")) == 0
            && all.Values.Sum(s => s.Sum("akkastream_leader_partitions")) == 7,
            "the returned follower catches up: nothing under-replicated or offline, every partition led");
        Assert.True(scrapes.Values.Sum(s => s.Sum("akkastream_isr_expands_total")) > expandsBefore, "the follower's return expanded ISRs");
        Assert.Equal(1, scrapes.Values.Sum(s => s.Sum("akkastream_active_controller")));
    }
}
