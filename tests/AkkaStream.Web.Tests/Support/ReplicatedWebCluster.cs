using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Web.Tests.Support;

/// <summary>Two brokers in one cluster with topic <see cref="Topic"/> (2 partitions, both replicated on both brokers) holding ten records.</summary>
public sealed class ReplicatedWebCluster : IAsyncLifetime
{
    public const string Topic = "replicated";

    public WebCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // A follower that stops fetching leaves the ISR after 2 s behind, rather than Kafka's 30 s.
        Cluster = await WebCluster.StartAsync(2, "akkastream.replica-lag-time-max = 2s");
        var nodes = Cluster.Brokers.Select(b => b.Server.Node).ToArray();
        await using var client = ClientFor.Create(nodes);
        await client.Admin.CreateTopicAsync(Topic, partitions: 2, replicationFactor: 2);
        await Eventually.True(() => nodes.All(n => n.Metadata.Current.Partition(Topic, 1) is { Leader: >= 1, Isr.Count: 2 }),
            TimeSpan.FromSeconds(60), "both partitions have a leader and two in-sync replicas on every broker's metadata");
        var producer = client.CreateProducer();
        await using (producer)
        {
            for (var i = 0; i < 10; i++) await producer.ProduceAsync(Topic, $"k{i}", $"value {i}");
        }
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
