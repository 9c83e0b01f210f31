using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Console;

/// <summary>
/// When a broker leaves, the console of the one that stays shows it gone from the members and its
/// partitions under-replicated (the ISR smaller than the replicas), with the leader's size still shown.
/// </summary>
public sealed class ConsoleUnderReplicationTests(ReplicatedWebCluster fixture) : IClassFixture<ReplicatedWebCluster>
{
    [Fact]
    public async Task A_broker_that_leaves_makes_its_partitions_under_replicated_on_the_page()
    {
        var survivor = fixture.Cluster.Brokers[0].Http;
        await fixture.Cluster.StopBrokerAsync(2);
        // The partition broker 2 led moves to broker 1 without it; the one broker 1 led drops it from
        // the ISR once it falls behind, which takes a record to fall behind on.
        await using (var client = ClientFor.Create([fixture.Cluster.Brokers[0].Server.Node], "akkastream.client.producer.acks = 1"))
        {
            var producer = client.CreateProducer();
            await using (producer)
            {
                foreach (var partition in new[] { 0, 1 }) await producer.ProduceAsync(ReplicatedWebCluster.Topic, null, [1], partition: partition);
            }
        }

        // Polled with a bound, showing the last answer when it fails.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var topic = await survivor.GetJson($"/api/topics/{ReplicatedWebCluster.Topic}");
            var done = topic.GetProperty("partitions").EnumerateArray().All(p =>
                p.GetProperty("underReplicated").GetBoolean()
                && p.GetProperty("isr").EnumerateArray().Select(b => b.GetInt32()).SequenceEqual([1])
                && p.GetProperty("replicas").GetArrayLength() == 2
                && p.GetProperty("leader").GetInt32() == 1
                && p.GetProperty("sizeBytes").ValueKind == System.Text.Json.JsonValueKind.Number);
            if (done) break;
            Assert.True(DateTime.UtcNow < deadline, $"every partition should be led by broker 1 with an ISR of [1] of two replicas; last seen: {topic}");
            await Task.Delay(200);
        }
        await Eventually.True(async () =>
            (await survivor.GetJson("/api/cluster")).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("brokerId").GetInt32()).SequenceEqual([1]),
            TimeSpan.FromSeconds(60), "the members list only broker 1");
    }
}
