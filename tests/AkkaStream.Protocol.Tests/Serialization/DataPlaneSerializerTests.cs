using System.Runtime.Serialization;
using Akka.TestKit.Xunit2;
using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Protocol.Tests.Serialization;

public sealed class DataPlaneSerializerTests() : TestKit(ProtocolSerialization.Config)
{
    public static TheoryData<int> MessageIndexes() => new(Enumerable.Range(0, ProtocolMessages.DataPlane().Count()));

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Every_data_plane_message_round_trips_through_the_data_plane_serializer(int index)
    {
        var message = ProtocolMessages.DataPlane().ElementAt(index);

        var (copy, serializerId) = RoundTrip(message);

        Assert.Equal(DataPlaneSerializer.SerializerId, serializerId);
        Assert.Equivalent(message, copy, strict: true);
    }

    [Fact]
    public void A_4_MiB_produce_request_round_trips_byte_for_byte()
    {
        var records = ProtocolMessages.Bytes(4 << 20);
        var request = new ProduceRequest("big", 0, Acks.Leader, 1000, 3, records);

        var (copy, _) = RoundTrip(request);

        var produced = Assert.IsType<ProduceRequest>(copy);
        Assert.True(records.AsSpan().SequenceEqual(produced.Records));
        Assert.Equal(request with { Records = produced.Records }, produced);
    }

    [Fact]
    public void The_record_bytes_follow_a_small_fixed_header()
    {
        var records = ProtocolMessages.Bytes(100);
        var bytes = Serializer().ToBinary(new ProduceRequest("t", 1, Acks.Leader, 2, 3, records));

        // version, topic (4 + 1), partition, acks, timeout, epoch, records length, records
        Assert.Equal(1 + 5 + 4 + 2 + 4 + 4 + 4 + 100, bytes.Length);
        Assert.Equal(DataPlaneLayouts.Version, bytes[0]);
        Assert.True(records.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 100)));
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_exception()
    {
        var bytes = Serializer().ToBinary(new FetchRequest("t", 0, 0, 1, 1, 1, -1));

        Assert.Throws<SerializationException>(() => Serializer().FromBinary(bytes, "XX"));
    }

    [Fact]
    public void An_unknown_layout_version_is_a_serialization_exception()
    {
        var bytes = Serializer().ToBinary(new FetchRequest("t", 0, 0, 1, 1, 1, -1));
        bytes[0] = 99;

        var error = Assert.Throws<SerializationException>(() => Serializer().FromBinary(bytes, "FQ"));
        Assert.Contains("version 99", error.Message);
    }

    [Fact]
    public void A_truncated_or_padded_payload_is_a_serialization_exception()
    {
        var bytes = Serializer().ToBinary(new FetchResponse("t", 0, 0, null, 1, 1, ProtocolMessages.Bytes(10)));

        Assert.Throws<SerializationException>(() => Serializer().FromBinary(bytes[..^1], "FS"));
        Assert.Throws<SerializationException>(() => Serializer().FromBinary([.. bytes, 0], "FS"));
        Assert.Throws<SerializationException>(() => Serializer().FromBinary([], "FS"));
    }

    [Fact]
    public void A_message_that_is_not_data_plane_is_refused()
    {
        Assert.Throws<SerializationException>(() => Serializer().ToBinary(new DeleteTopicRequest("t")));
    }

    private DataPlaneSerializer Serializer() =>
        (DataPlaneSerializer)Sys.Serialization.FindSerializerForType(typeof(ProduceRequest));

    private (object Copy, int SerializerId) RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return (Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest), serializer.Identifier);
    }
}
