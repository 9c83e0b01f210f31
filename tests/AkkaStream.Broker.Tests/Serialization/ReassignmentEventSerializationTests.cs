using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Serialization;

namespace AkkaStream.Broker.Tests.Serialization;

/// <summary>The journal format of reassignments, and of controller snapshots that carry them.</summary>
public sealed class ReassignmentEventSerializationTests : TestKit
{
    private BrokerEventSerializer Serializer => new((ExtendedActorSystem)Sys);

    private object RoundTrip(object e) => Serializer.FromBinary(Serializer.ToBinary(e), Serializer.Manifest(e));

    private static readonly PartitionState Moving = new(2, [3, 2, 1], 1, 7, [1, 2]);

    [Fact]
    public void Started_and_completed_reassignments_read_back_as_written()
    {
        var started = (ReassignmentStarted)RoundTrip(new ReassignmentStarted("t", Moving, [3, 2]));
        Assert.Equal(("t", 2, 1, 7), (started.Name, started.Partition.Partition, started.Partition.Leader, started.Partition.LeaderEpoch));
        Assert.Equal([3, 2, 1], started.Partition.Replicas);
        Assert.Equal([1, 2], started.Partition.Isr);
        Assert.Equal([3, 2], started.Target);

        var completed = (ReassignmentCompleted)RoundTrip(new ReassignmentCompleted("t", Moving with { Replicas = [3, 2], Isr = [3, 2], Leader = 3 }));
        Assert.Equal(("t", 3), (completed.Name, completed.Partition.Leader));
        Assert.Equal([3, 2], completed.Partition.Replicas);

        var cancelled = (ReassignmentCancelled)RoundTrip(new ReassignmentCancelled("t", Moving with { Replicas = [2, 1], LeaderEpoch = 8 }));
        Assert.Equal(("t", 1, 8), (cancelled.Name, cancelled.Partition.Leader, cancelled.Partition.LeaderEpoch));
        Assert.Equal([2, 1], cancelled.Partition.Replicas);
        Assert.Equal([1, 2], cancelled.Partition.Isr);
    }

    [Fact]
    public void A_snapshot_keeps_the_reassignments_in_progress()
    {
        var topic = new TopicState("t", Guid.NewGuid(), new Dictionary<string, string>(), [Moving with { Partition = 0 }]);
        var snapshot = (ControllerSnapshot)RoundTrip(new ControllerSnapshot("c1", 3, [topic], 1000,
            [new PartitionReassignment("t", 0, [3, 2], [2, 1]), new PartitionReassignment("t", 1, [3])]));
        Assert.Equal(2, snapshot.Reassignments!.Count);
        var reassignment = snapshot.Reassignments[0];
        Assert.Equal(("t", 0), (reassignment.Topic, reassignment.Partition));
        Assert.Equal([3, 2], reassignment.Target);
        Assert.Equal([2, 1], reassignment.Original!);
        Assert.Null(snapshot.Reassignments[1].Original); // not known: written as none
        Assert.Equal(1000, snapshot.ProducerIdsReservedUpTo);
        Assert.Equal(topic.Id, Assert.Single(snapshot.Topics).Id);
    }

    [Fact]
    public void A_snapshot_of_the_previous_format_reads_with_its_original_replicas_unknown()
    {
        // CS3: cluster id, controller epoch, topics, producer ids, then each reassignment's topic, partition and target.
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("c1"); w.Write(3); w.Write(0); w.Write(1000L);
            w.Write(1); w.Write("t"); w.Write(0); w.Write(2); w.Write(3); w.Write(2);
        }
        var snapshot = (ControllerSnapshot)Serializer.FromBinary(stream.ToArray(), "CS3");
        var reassignment = Assert.Single(snapshot.Reassignments!);
        Assert.Equal([3, 2], reassignment.Target);
        Assert.Null(reassignment.Original);
    }
}
