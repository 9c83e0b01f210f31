using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Groups;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>
/// The journal format of group events: each reads back as written, the bytes of each version stay
/// as they are, and events of an older version still read.
/// </summary>
public sealed class GroupEventSerializationTests : TestKit
{
    private GroupEventSerializer Serializer => new((ExtendedActorSystem)Sys);

    private object RoundTrip(object e) => Serializer.FromBinary(Serializer.ToBinary(e), Serializer.Manifest(e));

    private static readonly GroupMetadataStored Metadata = new("consumer", "range", 3, "m-1", 1234,
        [new StoredMember("m-1", "i-1", 10_000, 30_000, [1, 2], [3], "billing", "/10.0.0.7"), new StoredMember("m-2", null, 6_000, 60_000, [], [4, 5])]);

    [Fact]
    public void Every_group_event_reads_back_as_written()
    {
        var metadata = (GroupMetadataStored)RoundTrip(Metadata);
        Assert.Equal((Metadata.ProtocolType, Metadata.ProtocolName, Metadata.Generation, Metadata.Leader, Metadata.StateTimestampMs),
            (metadata.ProtocolType, metadata.ProtocolName, metadata.Generation, metadata.Leader, metadata.StateTimestampMs));
        Assert.Equal(Metadata.Members.Select(Describe), metadata.Members.Select(Describe));

        var empty = (GroupMetadataStored)RoundTrip(new GroupMetadataStored(null, null, 0, null, 0, []));
        Assert.Equal((null, null, null), (empty.ProtocolType, empty.ProtocolName, empty.Leader));

        var offsets = new StoredOffset[] { new("t", 0, 42, 7, "meta", 99), new("u", 3, 1, -1, null, 100) };
        Assert.Equal(offsets, ((OffsetsCommitted)RoundTrip(new OffsetsCommitted(offsets))).Offsets);
        Assert.Equal([new TopicPartitionRef("t", 0)], ((OffsetsRemoved)RoundTrip(new OffsetsRemoved([new TopicPartitionRef("t", 0)]))).Partitions);
        Assert.Equal(new GroupDeleted(77), RoundTrip(new GroupDeleted(77)));

        var snapshot = (GroupSnapshot)RoundTrip(new GroupSnapshot(false, Metadata, offsets));
        Assert.Equal((false, 3), (snapshot.Dead, snapshot.Metadata!.Generation));
        Assert.Equal(offsets, snapshot.Offsets);
        var dead = (GroupSnapshot)RoundTrip(new GroupSnapshot(true, null, []));
        Assert.Equal((true, null), (dead.Dead, dead.Metadata));
    }

    [Fact]
    public void Version_1_bytes_are_fixed()
    {
        Assert.Equal("OR1", Serializer.Manifest(new OffsetsRemoved([])));
        Assert.Equal(
            [1, 0, 0, 0, 1, (byte)'t', 2, 0, 0, 0],
            Serializer.ToBinary(new OffsetsRemoved([new TopicPartitionRef("t", 2)])));
        Assert.Equal(
            [1, 0, 0, 0, 1, (byte)'t', 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, (byte)'m', 9, 0, 0, 0, 0, 0, 0, 0],
            Serializer.ToBinary(new OffsetsCommitted([new StoredOffset("t", 0, 5, -1, "m", 9)])));
        // A GM1 written before members' clients were kept reads back the same, with empty clients.
        var read = (GroupMetadataStored)Serializer.FromBinary(
            [1, 1, (byte)'c', 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, (byte)'a', 1, 1, (byte)'i', 16, 39, 0, 0, 48, 117, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0], "GM1");
        Assert.Equal(("c", 2, "a", "i", 10_000, 30_000), (read.ProtocolType, read.Generation, read.Members[0].MemberId, read.Members[0].GroupInstanceId,
            read.Members[0].SessionTimeoutMs, read.Members[0].RebalanceTimeoutMs));
        Assert.Equal(("07", "", ""), (Convert.ToHexString(read.Members[0].Metadata), read.Members[0].ClientId, read.Members[0].ClientHost));

        // So does a GS1 snapshot with a GM1 body and one offset.
        var snapshot = (GroupSnapshot)Serializer.FromBinary(
            [0, 1, 1, 1, (byte)'c', 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, (byte)'a', 1, 1, (byte)'i', 16, 39, 0, 0, 48, 117, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0,
             1, 0, 0, 0, 1, (byte)'t', 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, (byte)'m', 9, 0, 0, 0, 0, 0, 0, 0], "GS1");
        Assert.Equal(("a", "", 5L), (snapshot.Metadata!.Members[0].MemberId, snapshot.Metadata.Members[0].ClientId, snapshot.Offsets[0].Offset));
    }

    [Fact]
    public void Version_2_metadata_bytes_are_fixed_and_end_each_member_with_its_client()
    {
        var metadata = new GroupMetadataStored("c", null, 2, null, 3, [new StoredMember("a", "i", 10_000, 30_000, [7], [], "k", "/h")]);
        Assert.Equal("GM2", Serializer.Manifest(metadata));
        Assert.Equal(
            [1, 1, (byte)'c', 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, (byte)'a', 1, 1, (byte)'i', 16, 39, 0, 0, 48, 117, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0,
             1, (byte)'k', 2, (byte)'/', (byte)'h'],
            Serializer.ToBinary(metadata));
        Assert.Equal("GS2", Serializer.Manifest(new GroupSnapshot(false, metadata, [])));
        var snapshot = (GroupSnapshot)RoundTrip(new GroupSnapshot(false, metadata, []));
        Assert.Equal(("k", "/h"), (snapshot.Metadata!.Members[0].ClientId, snapshot.Metadata.Members[0].ClientHost));
    }

    [Fact]
    public void The_broker_configuration_binds_group_events_to_this_serializer()
    {
        var config = AkkaStream.Broker.Configuration.BrokerConfig.FromText("", []);
        Assert.Equal("akkastream-group-events",
            config.GetString("akka.actor.serialization-bindings.\"AkkaStream.Broker.Groups.IGroupEvent, AkkaStream.Broker\""));
    }

    private static string Describe(StoredMember m) =>
        $"{m.MemberId}/{m.GroupInstanceId}/{m.SessionTimeoutMs}/{m.RebalanceTimeoutMs}/{Convert.ToHexString(m.Metadata)}/{Convert.ToHexString(m.Assignment)}/{m.ClientId}/{m.ClientHost}";
}
