using System.Diagnostics;
using Akka.Actor;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>Followers copy their leaders' logs, the ISR follows them, acks=all waits for them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ReplicatedCluster.Timeout;

    [Fact]
    public async Task Followers_hold_the_leaders_bytes_and_share_one_fetch_session_per_leader_broker()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(output);
        var topic = await cluster.CreateTopicAsync("copied", 6, 3);
        Assert.All(topic.Partitions, p => Assert.Equal(p.Replicas.Order(), p.Isr.Order()));
        var latencies = new List<double>();
        foreach (var p in topic.Partitions)
        {
            for (var i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                var produced = await cluster.ProduceAsync("copied", p.Partition, Acks.All, 10_000, $"p{p.Partition}-a{i}", $"p{p.Partition}-b{i}");
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal(ErrorCode.None, produced.Error);
                Assert.Equal(2 * i, produced.BaseOffset);
            }
        }
        latencies.Sort();
        cluster.Log($"acks=all latency over {latencies.Count} produces: median {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms");

        foreach (var p in topic.Partitions)
        {
            // acks=all answered: every ISR member has the records, byte for byte as the leader wrote them.
            var leader = cluster.ReplicaLog(p.Leader, "copied", p.Partition);
            Assert.Equal(10, leader.Records.Count);
            Assert.Equal($"p{p.Partition}-b4", leader.Records[^1].Value);
            foreach (var follower in p.Replicas.Where(b => b != p.Leader))
            {
                Assert.Equal(leader.Bytes, cluster.ReplicaLog(follower, "copied", p.Partition).Bytes);
            }
        }

        // Each broker follows 4 of the 6 partitions, led by the two other brokers: two sessions of two partitions each.
        foreach (var node in cluster.Live)
        {
            var fetchers = await FetchersOf(node.System);
            Assert.Equal(2, fetchers.Count);
            Assert.All(fetchers, f => Assert.Equal(2, f.LogEndOffsets.Count));
            Assert.Equal(2, fetchers.Select(f => f.LeaderBroker).Distinct().Count());
        }
    }

    internal static async Task<List<ReplicaFetcher.State>> FetchersOf(ActorSystem system)
    {
        var sessions = await system.ActorSelection($"/user/{ReplicaManager.ActorName}")
            .Ask<ReplicaManager.Sessions>(ReplicaManager.GetSessions.Instance, Timeout);
        var states = new List<ReplicaFetcher.State>();
        foreach (var fetcher in sessions.FetcherByLeader.Values)
        {
            states.Add(await fetcher.Ask<ReplicaFetcher.State>(ReplicaFetcher.GetState.Instance, Timeout));
        }
        return states;
    }
}
