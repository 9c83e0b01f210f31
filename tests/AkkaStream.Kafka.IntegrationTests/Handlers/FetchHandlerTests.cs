using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.IntegrationTests.Handlers;

/// <summary>
/// Fetch over several partitions on raw sockets: the wait holds across them, the partitions that
/// wake it are read once, and min_bytes counts them together.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class FetchHandlerTests(KafkaBrokerFixture broker)
{
    private const short FetchVersion = 11;
    private const int LongWaitMs = 60_000;

    [Fact]
    public async Task A_fetch_over_two_partitions_is_answered_when_either_gets_records_which_are_read_once()
    {
        var topic = await broker.CreateTopicAsync("fetch-either", partitions: 2);
        await ProduceAsync(topic, partition: 0, "a", "b");
        var fetchesBefore = GatewayFetches();
        await using var consumer = await WireClient.ConnectAsync(broker.Port);
        await consumer.SendAsync(FetchApi.Declaration, FetchVersion, 1, WireCalls.Fetch(topic, LongWaitMs, minBytes: 1, (0, 2), (1, 0)));
        // Both partitions read (nothing new), then both asked to wake the fetch: it waits.
        await Eventually.True(() => GatewayFetches() - fetchesBefore >= 4, TimeSpan.FromSeconds(30), "the fetch waits on both partitions");

        var written = await ProduceAsync(topic, partition: 1, "c");

        var (_, response) = await consumer.ReceiveAsync(FetchApi.Declaration, FetchVersion);
        var (first, second) = (PartitionOf(response, 0), PartitionOf(response, 1));
        Assert.Equal((short)ErrorCode.None, first.Get<short>("ErrorCode"));
        Assert.Equal(2L, first.Get<long>("HighWatermark"));
        Assert.Empty(first.Get<byte[]?>("Records") ?? []);
        Assert.Equal(1L, second.Get<long>("HighWatermark"));
        var records = second.Get<byte[]>("Records");
        Assert.Equal(["c"], Batches.Read(records).Select(r => r.Value));
        Assert.Equal(written.Length, records.Length);
        // The woken partition was read for the answer only: consumers were served its batch once.
        Assert.Equal(records.Length, broker.Broker.Node.Metrics.Topics.For(topic).BytesOut.Value);
    }

    [Fact]
    public async Task Min_bytes_holds_across_partitions_and_records_in_hand_are_read_on_from_their_end()
    {
        var topic = await broker.CreateTopicAsync("fetch-min-bytes", partitions: 2);
        var batchSize = Batches.Of("x").Length;
        var fetchesBefore = GatewayFetches();
        await using var consumer = await WireClient.ConnectAsync(broker.Port);
        await consumer.SendAsync(FetchApi.Declaration, FetchVersion, 1, WireCalls.Fetch(topic, LongWaitMs, minBytes: 2 * batchSize + 1, (0, 0), (1, 0)));
        await Eventually.True(() => GatewayFetches() - fetchesBefore >= 4, TimeSpan.FromSeconds(30), "the fetch waits on both partitions");

        // One batch, then two, are not enough: partition 0 is read, then read on, and the fetch waits again each time.
        await ProduceAsync(topic, partition: 0, "x");
        await Eventually.True(() => GatewayFetches() - fetchesBefore >= 7, TimeSpan.FromSeconds(30), "partition 0 read, both asked again");
        await ProduceAsync(topic, partition: 0, "z");
        await Eventually.True(() => GatewayFetches() - fetchesBefore >= 10, TimeSpan.FromSeconds(30), "partition 0 read on, both asked again");
        var fetchesWhileWaiting = GatewayFetches();
        await ProduceAsync(topic, partition: 1, "y");

        var (_, response) = await consumer.ReceiveAsync(FetchApi.Declaration, FetchVersion);
        var (first, second) = (PartitionOf(response, 0).Get<byte[]>("Records"), PartitionOf(response, 1).Get<byte[]>("Records"));
        Assert.Equal(["x", "z"], Batches.Read(first).Select(r => r.Value));
        Assert.Equal(["y"], Batches.Read(second).Select(r => r.Value));
        // Partition 0's records, in hand, did not keep waking the fetch (one more read, of partition 1),
        // and no batch was read twice: consumers were served exactly what the response holds.
        Assert.Equal(1, GatewayFetches() - fetchesWhileWaiting);
        Assert.Equal(first.Length + second.Length, broker.Broker.Node.Metrics.Topics.For(topic).BytesOut.Value);
    }

    private long GatewayFetches() => (long)broker.Broker.Node.Metrics.GatewayRequests.For("Fetch").Requests.Value;

    /// <summary>Produces one batch of <paramref name="values"/> with acks=1 and returns its bytes as sent.</summary>
    private async Task<byte[]> ProduceAsync(string topic, int partition, params string[] values)
    {
        var records = Batches.Of(values);
        var response = await WireCalls.CallAsync(broker.Port, ProduceApi.Declaration, 8, WireCalls.Produce(topic, acks: 1, partition, records));
        var answered = (MessageStruct)((MessageStruct)response.Get<object?[]>("Responses")[0]!).Get<object?[]>("Partitions")[0]!;
        Assert.Equal((short)ErrorCode.None, answered.Get<short>("ErrorCode"));
        return records;
    }

    private static MessageStruct PartitionOf(MessageStruct response, int partition) =>
        ((MessageStruct)response.Get<object?[]>("Responses")[0]!).Get<object?[]>("Partitions")
            .Cast<MessageStruct>().Single(p => p.Get<int>("PartitionIndex") == partition);
}
