using Akka.Actor;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary>The real client's default producer against one broker: what it writes carries a producer id and sequences.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotentClientTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private BrokerNode _node = null!;
    private AkkaStreamClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db")));
        await Eventually.True(() => _node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
        _client = ClientFor.Create([_node]);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }

    [Fact]
    public async Task The_default_producer_writes_batches_numbered_under_one_producer_id()
    {
        Assert.Equal(ErrorCode.None, (await _client.Admin.CreateTopicAsync("idem-e2e", partitions: 1, replicationFactor: 1)).Error);
        await using var producer = _client.CreateProducer(_client.Settings.Producer with { Linger = TimeSpan.Zero });

        var reports = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => producer.ProduceAsync("idem-e2e", "k", $"v{i}")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(reports, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), reports.Select(r => r.Offset).Order());
        var fetched = await _node.Gateway.Ask<FetchResponse>(new FetchRequest("idem-e2e", 0, 0, 1 << 20, 0, 0, -1), TimeSpan.FromSeconds(20));
        var headers = new List<RecordBatchHeader>();
        foreach (var header in new RecordBatchEnumerator(fetched.Records)) headers.Add(header);
        Assert.Equal(20, headers.Sum(h => h.RecordsCount));
        Assert.All(headers, h => Assert.Equal((headers[0].ProducerId, (short)0), (h.ProducerId, h.ProducerEpoch)));
        Assert.True(headers[0].ProducerId >= 0);
        var expected = 0;
        foreach (var header in headers)
        {
            Assert.Equal(expected, header.BaseSequence);
            expected = ProducerSequence.LastOf(header) + 1;
        }
    }
}
