using Akka.Actor;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Partitions;

/// <summary>Idempotent produce through a broker, and producer ids from the controller, across restarts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotentProduceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Akka.Configuration.Config NodeConfig() => Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db"));

    [Fact]
    public async Task A_retried_produce_is_acknowledged_with_its_original_offset_and_not_appended_also_after_a_restart()
    {
        long producerId;
        var node = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            Assert.Equal(ErrorCode.None, (await node.Gateway.Ask<CreateTopicResponse>(
                new CreateTopicRequest("idem", 1, -1, new Dictionary<string, string>()), Timeout)).Error);
            await Eventually.True(() => node.Metadata.Current.Partition("idem", 0) is { Leader: 1 });
            var id = await node.Gateway.Ask<InitProducerIdResponse>(InitProducerIdRequest.Instance, Timeout);
            Assert.Equal(ErrorCode.None, id.Error);
            Assert.Equal((short)0, id.ProducerEpoch);
            producerId = id.ProducerId;

            var first = await Eventually.Reply<ProduceResponse>(node.Gateway, Produce(producerId, 0, "a", "b"), r => r.Error == ErrorCode.None);
            Assert.Equal(0, first.BaseOffset);
            Assert.Equal(2, (await node.Gateway.Ask<ProduceResponse>(Produce(producerId, 2, "c"), Timeout)).BaseOffset);

            var retry = await node.Gateway.Ask<ProduceResponse>(Produce(producerId, 0, "a", "b"), Timeout);
            Assert.Equal((ErrorCode.None, 0L), (retry.Error, retry.BaseOffset));
            var gap = await node.Gateway.Ask<ProduceResponse>(Produce(producerId, 5, "x"), Timeout);
            Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
            Assert.Equal(["a", "b", "c"], await Values(node));
        }
        finally
        {
            await node.StopAsync();
        }

        var restarted = await BrokerNode.StartAsync(NodeConfig());
        try
        {
            var retry = await Eventually.Reply<ProduceResponse>(restarted.Gateway, Produce(producerId, 2, "c"), r => r.Error == ErrorCode.None);
            Assert.Equal(2, retry.BaseOffset);
            Assert.Equal(3, (await restarted.Gateway.Ask<ProduceResponse>(Produce(producerId, 3, "d"), Timeout)).BaseOffset);
            Assert.Equal(["a", "b", "c", "d"], await Values(restarted));
        }
        finally
        {
            await restarted.StopAsync();
        }
    }

    [Fact]
    public async Task The_controller_never_hands_out_a_producer_id_twice_across_restarts()
    {
        var ids = new List<long>();
        for (var run = 0; run < 2; run++)
        {
            var node = await BrokerNode.StartAsync(NodeConfig());
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    var reply = await Eventually.Reply<InitProducerIdResponse>(node.Gateway, InitProducerIdRequest.Instance, r => r.Error == ErrorCode.None);
                    ids.Add(reply.ProducerId);
                }
            }
            finally
            {
                await node.StopAsync();
            }
        }

        Assert.Equal(6, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id >= 0));
        // The restarted controller skips the rest of its predecessor's block rather than trusting memory it no longer has.
        Assert.Equal([0L, 1, 2, ProducerIdBlock.Size, ProducerIdBlock.Size + 1, ProducerIdBlock.Size + 2], ids);
    }

    private static ProduceRequest Produce(long producerId, int sequence, params string[] values) =>
        new("idem", 0, Acks.All, 5000, -1, Batches.Idempotent(producerId, 0, sequence, values));

    private static async Task<List<string>> Values(BrokerNode node)
    {
        var fetched = await node.Gateway.Ask<FetchResponse>(new FetchRequest("idem", 0, 0, 1 << 20, 0, 0, -1), Timeout);
        Assert.Equal(ErrorCode.None, fetched.Error);
        return [.. Batches.Read(fetched.Records).Select(r => r.Value)];
    }
}
