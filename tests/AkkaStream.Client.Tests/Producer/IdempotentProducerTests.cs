using Akka.Configuration;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Tests.Producer;

public sealed class IdempotentProducerTests() : FakeCluster
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task By_default_batches_carry_the_clusters_producer_id_and_sequences_numbered_per_partition()
    {
        Assert.True(Settings.Producer.IsIdempotent);
        // One batch in flight, so that m2 and m3 wait for m1's answer and travel as one batch.
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero, MaxInFlightPerPartition = 1 });

        var first = producer.ProduceAsync("orders", "21", "m1");
        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        var second = producer.ProduceAsync("orders", "21", "m2");
        var third = producer.ProduceAsync("orders", "21", "m3");
        Assert.Equal((LastProducerId, (short)0, 0), Producer(request));
        Broker1.Reply(Ok(request, 0));

        var next = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(["m2", "m3"], Values(next));
        Assert.Equal((LastProducerId, (short)0, 1), Producer(next));
        Broker1.Reply(Ok(next, 1));
        await Task.WhenAll(first, second, third).WaitAsync(Wait);

        // Another partition numbers its own batches from 0.
        var other = producer.ProduceAsync("orders", "abc", "x");
        var otherRequest = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.NotEqual(request.Partition, otherRequest.Partition);
        Assert.Equal((LastProducerId, (short)0, 0), Producer(otherRequest));
        Broker1.Reply(Ok(otherRequest, 0));
        await other.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_retried_batch_is_resent_with_the_same_sequence_so_the_leader_can_recognise_it()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero });
        var delivery = producer.ProduceAsync("orders", "21", "once");

        var sent = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Broker1.Reply(ProduceResponse.Failed(sent.Topic, sent.Partition, ErrorCode.RequestTimedOut, "the answer was lost"));
        var resent = Broker1.ExpectMsg<ProduceRequest>(Wait);

        Assert.Equal(Producer(sent), Producer(resent));
        Assert.Equal(sent.Records, resent.Records);
        // The leader wrote the first attempt and answers the retry with that write's offset.
        Broker1.Reply(Ok(resent, 7));
        Assert.Equal(7, (await delivery.WaitAsync(Wait)).Offset);
        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_batch_refused_out_of_order_behind_a_batch_being_retried_is_retried_after_it()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero, MaxInFlightPerPartition = 2 });
        var first = producer.ProduceAsync("orders", "21", "a");
        var one = Broker1.ExpectMsg<ProduceRequest>(Wait);
        var oneSender = Broker1.LastSender;
        var second = producer.ProduceAsync("orders", "21", "b");
        var two = Broker1.ExpectMsg<ProduceRequest>(Wait);
        var twoSender = Broker1.LastSender;
        Assert.Equal((0, 1), (Producer(one).Sequence, Producer(two).Sequence));

        oneSender.Tell(ProduceResponse.Failed(one.Topic, one.Partition, ErrorCode.NotLeaderOrFollower, "moved"), Akka.Actor.ActorRefs.NoSender);
        twoSender.Tell(ProduceResponse.Failed(two.Topic, two.Partition, ErrorCode.OutOfOrderSequenceNumber, "expected 0"), Akka.Actor.ActorRefs.NoSender);

        var retriedOne = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(["a"], Values(retriedOne));
        Assert.Equal(0, Producer(retriedOne).Sequence);
        Broker1.Reply(Ok(retriedOne, 0));
        var retriedTwo = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(["b"], Values(retriedTwo));
        Assert.Equal(1, Producer(retriedTwo).Sequence);
        Broker1.Reply(Ok(retriedTwo, 1));
        Assert.Equal([0L, 1L], (await Task.WhenAll(first, second).WaitAsync(Wait)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Without_idempotence_no_producer_id_is_asked_for_and_batches_carry_none()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero, EnableIdempotence = false });
        var delivery = producer.ProduceAsync("orders", "21", "plain");

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal((-1L, (short)-1, -1), Producer(request));
        Assert.Equal(999, LastProducerId);
        Broker1.Reply(Ok(request, 3));
        await delivery.WaitAsync(Wait);
    }

    [Fact]
    public void More_than_five_in_flight_per_partition_is_refused_with_idempotence()
    {
        var tooMany = ConfigurationFactory.ParseString("max-in-flight-per-partition = 6").WithFallback(ClientSettings.DefaultConfig.GetConfig("akkastream.client.producer"));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Throws<AkkaStreamException>(() => ProducerSettings.Create(tooMany)).Code);

        var allowed = ConfigurationFactory.ParseString("max-in-flight-per-partition = 6\nenable-idempotence = off").WithFallback(tooMany);
        Assert.Equal(6, ProducerSettings.Create(allowed).MaxInFlightPerPartition);
    }

    private static (long Id, short Epoch, int Sequence) Producer(ProduceRequest request)
    {
        Assert.True(RecordBatchHeader.TryRead(request.Records, out var header));
        Assert.Equal(ErrorCode.None, RecordBatch.Validate(request.Records, out _));
        return (header.ProducerId, header.ProducerEpoch, header.BaseSequence);
    }
}
