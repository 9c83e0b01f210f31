using Akka.Actor;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>After a leader's broker crashed and came back in sync, leadership returns to it: by itself, or on command.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PreferredLeaderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ReplicatedCluster.Timeout;

    /// <summary>
    /// Crashes the preferred leader of a partition (not the controller's broker), writes through
    /// its successor, restarts it and waits until it is back in the ISR. Returns the partition.
    /// </summary>
    private static async Task<int> DisplaceAndReturn(ReplicatedCluster cluster, string topic)
    {
        var victim = cluster.Node(1).Metadata.Current.ControllerId % 3 + 1;
        var state = (await cluster.CreateTopicAsync(topic, 3, 3)).Partitions.First(p => p.Leader == victim);
        Assert.Equal(victim, state.Replicas[0]);
        Assert.Equal(ErrorCode.None, (await cluster.ProduceAsync(topic, state.Partition, Acks.All, 10_000, "before")).Error);
        await cluster.CrashAsync(victim);
        await Eventually.True(() => cluster.Partition(topic, state.Partition).Leader is var l && l >= 0 && l != victim, TimeSpan.FromSeconds(40), "a successor leads");
        var successor = cluster.Partition(topic, state.Partition);
        var written = await cluster.ProduceOnceServedAsync(successor.Leader, topic, state.Partition, successor.LeaderEpoch, Acks.All, "during");
        Assert.Equal((ErrorCode.None, 1L), (written.Error, written.BaseOffset));
        await cluster.RestartAsync(victim);
        return state.Partition;
    }

    private static async Task AssertLedBy(ReplicatedCluster cluster, string topic, int partition, int broker)
    {
        var fetched = await Eventually.Reply<FetchResponse>(cluster.Node(broker).Gateway, new FetchRequest(topic, partition, 0, 1 << 20, 0, 0, -1),
            r => r.Error == ErrorCode.None && r.HighWatermark >= 2);
        Assert.Equal(["before", "during"], Batches.Read(fetched.Records).Select(r => r.Value));
    }

    [Fact]
    public async Task Leadership_returns_to_the_preferred_replica_by_itself_once_it_is_in_sync()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", "akkastream.leader-imbalance-check-interval = 1s");
        var partition = await DisplaceAndReturn(cluster, "preferred");
        var preferred = cluster.Partition("preferred", partition).Replicas[0];
        await Eventually.True(() => cluster.Partition("preferred", partition).Leader == preferred, TimeSpan.FromSeconds(40), "the preferred replica leads again");
        cluster.Log($"broker {preferred} leads again in epoch {cluster.Partition("preferred", partition).LeaderEpoch}");
        await AssertLedBy(cluster, "preferred", partition, preferred);
    }

    [Fact]
    public async Task Without_the_automatic_rebalance_an_elect_leaders_request_moves_leadership_back()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output, "2s", "akkastream.auto-leader-rebalance = off");
        var partition = await DisplaceAndReturn(cluster, "command");
        var preferred = cluster.Partition("command", partition).Replicas[0];
        await Eventually.True(() => cluster.Partition("command", partition).Isr.Contains(preferred), TimeSpan.FromSeconds(40), "the returned broker is in sync");
        // It may fetch (and be in sync) before the cluster lets it up: only a live broker can be elected.
        await Eventually.True(() => cluster.Live.All(n => n.Metadata.Current.Brokers.Count == 3), TimeSpan.FromSeconds(40), "the returned broker is live");
        Assert.NotEqual(preferred, cluster.Partition("command", partition).Leader);

        // Through the actor client's admin API, as an operator would.
        await using var client = EndToEnd.ClientFor.Create(cluster.Live);
        var unknown = await Assert.ThrowsAsync<AkkaStreamException>(() => client.Admin.ElectLeadersAsync(["nope"]));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, unknown.Code);
        var elected = await client.Admin.ElectLeadersAsync(["command"]);
        Assert.Equal((ErrorCode.None, 1), (elected.Error, elected.Elected));
        await Eventually.True(() => cluster.Partition("command", partition).Leader == preferred, TimeSpan.FromSeconds(10), "the metadata names the preferred leader");
        await AssertLedBy(cluster, "command", partition, preferred);
        Assert.Equal(0, (await client.Admin.ElectLeadersAsync()).Elected);
    }
}
