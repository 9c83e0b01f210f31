using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.Replication;

public sealed class ReplicationSerializerTests : TestKit
{
    private ReplicationSerializer Serializer => new((ExtendedActorSystem)Sys);

    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = Serializer;
        return (T)serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
    }

    [Fact]
    public void Requests_and_responses_round_trip_with_the_batch_bytes_as_they_are()
    {
        var request = new ReplicaFetchRequest(2, 41, 500, 1, 4 << 20,
            [new ReplicaFetchPartition(new TopicPartition("orders", 3), 7, 12345, 6, 1 << 20), new ReplicaFetchPartition(new TopicPartition("ü-topic", 0), 1, 0, -1, 10)]);
        var back = RoundTrip(request);
        Assert.Equal(request with { Partitions = [] }, back with { Partitions = [] });
        Assert.Equal(request.Partitions, back.Partitions);

        var batch = Batches.Of("a", "b");
        var response = new ReplicaFetchResponse(41,
        [
            new ReplicaPartitionData(new TopicPartition("orders", 3), ErrorCode.None, null, 10, 0, 12, -1, -1, batch),
            ReplicaPartitionData.Failed(new TopicPartition("orders", 4), ErrorCode.FencedLeaderEpoch, "stale", 3, 9),
            ReplicaPartitionData.Diverging(new TopicPartition("orders", 5), 4, 2, 17),
        ]);
        var answered = RoundTrip(response);
        Assert.Equal(41, answered.Round);
        Assert.Equal(batch, answered.Partitions[0].Records);
        Assert.Equal(response.Partitions[1] with { Records = [] }, answered.Partitions[1] with { Records = [] });
        Assert.Equal((2, 17L), (answered.Partitions[2].DivergingEpoch, answered.Partitions[2].DivergingEndOffset));
        // The configured binding picks this serializer.
        Assert.IsType<ReplicationSerializer>(Sys.Serialization.FindSerializerFor(response));
    }

    [Fact]
    public void Malformed_payloads_are_serialization_errors()
    {
        var bytes = Serializer.ToBinary(new ReplicaFetchResponse(1, [ReplicaPartitionData.Failed(new TopicPartition("t", 0), ErrorCode.None, "x")]));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..^3], "RS1"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], "RS1"));
        // A count of 2^31-1 in a 12-byte payload: refused before anything is allocated.
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F], "RS1"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "ZZ9"));
    }

    public ReplicationSerializerTests()
        : base(Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING")
            .WithFallback(Broker.Configuration.BrokerConfig.Reference))
    {
    }
}
