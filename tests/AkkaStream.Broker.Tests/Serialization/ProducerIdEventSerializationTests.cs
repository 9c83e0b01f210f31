using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Serialization;

namespace AkkaStream.Broker.Tests.Serialization;

/// <summary>The journal format of producer id reservations, and of controller snapshots before and after they existed.</summary>
public sealed class ProducerIdEventSerializationTests : TestKit
{
    private BrokerEventSerializer Serializer => new((ExtendedActorSystem)Sys);

    private object RoundTrip(object e) => Serializer.FromBinary(Serializer.ToBinary(e), Serializer.Manifest(e));

    [Fact]
    public void A_reservation_and_a_snapshot_with_the_reservation_mark_read_back_as_written()
    {
        Assert.Equal(new ProducerIdsReserved(3000), RoundTrip(new ProducerIdsReserved(3000)));
        var snapshot = (ControllerSnapshot)RoundTrip(new ControllerSnapshot("c1", 4, [], 5000));
        Assert.Equal(("c1", 4, 5000L), (snapshot.ClusterId, snapshot.ControllerEpoch, snapshot.ProducerIdsReservedUpTo));
        Assert.Empty(snapshot.Topics);
    }

    [Fact]
    public void A_snapshot_written_before_producer_ids_reads_with_no_id_reserved()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("c1");
            w.Write(2);
            w.Write(0); // no topics
        }

        var snapshot = (ControllerSnapshot)Serializer.FromBinary(stream.ToArray(), "CS1");

        Assert.Equal(("c1", 2, 0L), (snapshot.ClusterId, snapshot.ControllerEpoch, snapshot.ProducerIdsReservedUpTo));
    }

    [Fact]
    public void The_controller_state_keeps_the_highest_reservation_and_a_new_block_starts_there()
    {
        var state = new ControllerState();
        state.Apply(new ControllerSnapshot("c1", 1, [], 2000));
        state.Apply(new ProducerIdsReserved(3000));
        Assert.Equal(3000, state.ProducerIdsReservedUpTo);
        Assert.Equal(3000, state.ToSnapshot().ProducerIdsReservedUpTo);

        var block = new ProducerIdBlock(state.ProducerIdsReservedUpTo);
        Assert.True(block.IsExhausted);
        block.Reserved(block.NextReservation());
        Assert.Equal([3000L, 3001], new[] { block.Take(), block.Take() });
        Assert.Equal(3000 + ProducerIdBlock.Size, block.ReservedUpTo);
    }
}
