using System.Buffers.Binary;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.IntegrationTests.Listener;

/// <summary>The listener's connection handling, on raw sockets: ordering, acks=0, and bad frames that close one connection only.</summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class ConnectionTests(KafkaBrokerFixture broker)
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(30);

    private static MessageStruct ApiVersionsRequest => ApiVersionsApi.Declaration.Request.NewDefault();

    [Fact]
    public async Task Pipelined_requests_are_answered_in_request_order_even_when_the_first_is_slow()
    {
        var topic = await broker.CreateTopicAsync("pipelined");
        await using var client = await WireClient.ConnectAsync(broker.Port);
        // A fetch at the log end parks until its max wait; the requests behind it are answered at once
        // by their handlers, but must not overtake it on the wire.
        var fetch = WireCalls.Fetch(topic, maxWaitMs: 1500, minBytes: 1, (0, 0));
        var frames = new List<byte[]> { WireClient.Frame(FetchApi.Declaration, 11, 100, fetch) };
        for (var i = 1; i <= 20; i++)
        {
            frames.Add(i % 2 == 0
                ? WireClient.Frame(ApiVersionsApi.Declaration, 3, 100 + i, ApiVersionsRequest)
                : WireClient.Frame(MetadataApi.Declaration, 8, 100 + i, MetadataApi.Declaration.Request.NewDefault().With("Topics", null)));
        }
        await client.SendRawAsync([.. frames.SelectMany(f => f)]);

        var (first, fetched) = await client.ReceiveAsync(FetchApi.Declaration, 11);
        Assert.Equal(100, first);
        var partition = (MessageStruct)((MessageStruct)fetched.Get<object?[]>("Responses")[0]!).Get<object?[]>("Partitions")[0]!;
        Assert.Equal((short)ErrorCode.None, partition.Get<short>("ErrorCode"));
        Assert.Equal(0L, partition.Get<long>("HighWatermark"));
        for (var i = 1; i <= 20; i++)
        {
            var (correlationId, _) = i % 2 == 0
                ? await client.ReceiveAsync(ApiVersionsApi.Declaration, 3)
                : await client.ReceiveAsync(MetadataApi.Declaration, 8);
            Assert.Equal(100 + i, correlationId);
        }
    }

    [Fact]
    public async Task A_produce_with_acks_0_gets_no_response_and_is_appended()
    {
        var topic = await broker.CreateTopicAsync("acks0");
        await using var client = await WireClient.ConnectAsync(broker.Port);
        await client.SendAsync(ProduceApi.Declaration, 8, 1, WireCalls.Produce(topic, acks: 0, partition: 0, Batches.Of("a", "b")));
        await client.SendAsync(ApiVersionsApi.Declaration, 3, 2, ApiVersionsRequest);
        var (correlationId, _) = await client.ReceiveAsync(ApiVersionsApi.Declaration, 3);
        Assert.Equal(2, correlationId);

        await Broker.Tests.Support.Eventually.True(() => LatestOffset(topic) == 2, TimeSpan.FromSeconds(30), "the acks=0 batch is appended");
    }

    [Fact]
    public async Task A_declared_size_above_the_maximum_closes_the_connection_without_allocating_it()
    {
        await using var client = await WireClient.ConnectAsync(broker.Port);
        var max = broker.Broker.ListenerSettings!.MaxRequestBytes;
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, max + 1);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await client.SendRawAsync([.. prefix, .. new byte[64]]);
        Assert.True(await client.ClosedByPeerAsync(CloseWithin));
        // The whole process (broker included) allocated far less than the declared frame.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < max / 2);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_negative_size_closes_the_connection()
    {
        await using var client = await WireClient.ConnectAsync(broker.Port);
        await client.SendRawAsync([0xFF, 0xFF, 0xFF, 0xF0]);
        Assert.True(await client.ClosedByPeerAsync(CloseWithin));
        await AssertStillServesAsync();
        // One request-refused line names the refusal and the peer.
        CapturedLine? refused = null;
        await Eventually.True(() => (refused = EventLineCapture.Of(broker.Broker.Node.System)
            .FirstOrDefault(l => l.Has("event", "request-refused") && l.Has("api", "frame") && l["reason"].StartsWith("NegativeSize", StringComparison.Ordinal))) is not null,
            CloseWithin, "a request-refused line for the negative size");
        Assert.True(refused!.IsWarning);
        Assert.Equal("InvalidRequest", refused["error"]);
        Assert.StartsWith("127.0.0.1:", refused["client"]);
    }

    [Fact]
    public async Task A_frame_truncated_by_the_peer_closing_its_side_closes_the_connection()
    {
        await using var client = await WireClient.ConnectAsync(broker.Port);
        var frame = WireClient.Frame(ApiVersionsApi.Declaration, 3, 9, ApiVersionsRequest);
        await client.SendRawAsync(frame[..(frame.Length - 3)]);
        client.ShutdownSend();
        Assert.True(await client.ClosedByPeerAsync(CloseWithin));
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("unknown api key")]
    [InlineData("version above the range")]
    [InlineData("bytes after the body")]
    [InlineData("body cut short")]
    public async Task A_malformed_request_closes_that_connection_only(string defect)
    {
        await using var bystander = await WireClient.ConnectAsync(broker.Port);
        await using var client = await WireClient.ConnectAsync(broker.Port);
        var frame = WireClient.Frame(MetadataApi.Declaration, 8, 5, MetadataApi.Declaration.Request.NewDefault().With("Topics", null));
        frame = defect switch
        {
            "unknown api key" => Patch(frame, 4, 0x03, 0xE7),
            "version above the range" => Patch(frame, 6, 0x00, 0x63),
            "bytes after the body" => Resize(frame, frame.Length + 2),
            _ => Resize(frame, frame.Length - 2),
        };
        await client.SendRawAsync(frame);
        Assert.True(await client.ClosedByPeerAsync(CloseWithin));

        await bystander.SendAsync(ApiVersionsApi.Declaration, 3, 6, ApiVersionsRequest);
        Assert.Equal(6, (await bystander.ReceiveAsync(ApiVersionsApi.Declaration, 3)).CorrelationId);
        await AssertStillServesAsync();
    }

    private async Task AssertStillServesAsync()
    {
        await using var client = await WireClient.ConnectAsync(broker.Port);
        await client.SendAsync(ApiVersionsApi.Declaration, 3, 77, ApiVersionsRequest);
        var (correlationId, body) = await client.ReceiveAsync(ApiVersionsApi.Declaration, 3);
        Assert.Equal(77, correlationId);
        Assert.Equal((short)ErrorCode.None, body.Get<short>("ErrorCode"));
    }

    private long LatestOffset(string topic)
    {
        var reply = Akka.Actor.Futures.Ask<AkkaStream.Protocol.Messages.ListOffsetsResponse>(broker.Broker.Node.Gateway,
            new AkkaStream.Protocol.Messages.ListOffsetsRequest(topic, 0, AkkaStream.Protocol.Messages.ListOffsetsRequest.Latest, -1),
            TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        return reply.Offset;
    }

    private static byte[] Patch(byte[] frame, int at, params byte[] bytes)
    {
        var copy = (byte[])frame.Clone();
        bytes.CopyTo(copy, at);
        return copy;
    }

    /// <summary>The frame with its body lengthened (zeros) or cut, and its size prefix saying so.</summary>
    private static byte[] Resize(byte[] frame, int length)
    {
        var copy = new byte[length];
        frame.AsSpan(0, Math.Min(length, frame.Length)).CopyTo(copy);
        BinaryPrimitives.WriteInt32BigEndian(copy, length - 4);
        return copy;
    }
}
