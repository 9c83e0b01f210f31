using Akka.Actor;
using Akka.TestKit;
using System.Text;
using AkkaStream.Client.Producer;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Partitioning;

namespace AkkaStream.Client.Tests.Producer;

public sealed class ProducerTests() : FakeCluster
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("abc", 479470107)]
    public async Task A_keyed_record_lands_on_the_murmur2_partition(string key, int javaMurmur2)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        Assert.Equal(javaMurmur2, DefaultPartitioner.Murmur2(keyBytes));
        var expected = DefaultPartitioner.ToPositive(javaMurmur2) % 6;
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero });

        var delivery = producer.ProduceAsync("orders", key, "v");

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(expected, request.Partition);
        Broker1.Reply(Ok(request, 41));
        var report = await delivery.WaitAsync(Wait);
        Assert.Equal((expected, 41L), (report.Partition, report.Offset));
    }

    [Fact]
    public async Task Records_are_batched_per_partition_and_wait_for_linger()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.FromMilliseconds(300) });
        var deliveries = new List<Task<DeliveryReport>>();
        foreach (var (key, value) in new[] { ("21", "a1"), ("abc", "b1"), ("21", "a2"), ("21", "a3"), ("abc", "b2") })
        {
            deliveries.Add(producer.ProduceAsync("orders", key, value));
        }

        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(150));
        var first = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Broker1.Reply(Ok(first, 100));
        var second = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Broker1.Reply(Ok(second, 200));

        var byPartition = new[] { first, second }.ToDictionary(r => r.Partition, Values);
        Assert.Equal(["a1", "a2", "a3"], byPartition[DefaultPartitioner.Partition("21"u8, 6)]);
        Assert.Equal(["b1", "b2"], byPartition[DefaultPartitioner.Partition("abc"u8, 6)]);
        var reports = await Task.WhenAll(deliveries).WaitAsync(Wait);
        Assert.Equal(3, reports.Count(r => r.Offset is >= 100 and < 103));
        Assert.Equal(2, reports.Count(r => r.Offset is >= 200 and < 202));
        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_full_batch_leaves_without_waiting_for_linger()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.FromSeconds(30), BatchSize = 200 });

        for (var i = 0; i < 4; i++)
        {
            producer.Produce("orders", Encoding.UTF8.GetBytes("21"), new byte[90]);
        }

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.InRange(request.Records.Length, 1, 200 + 100);
    }

    [Fact]
    public async Task Keyless_records_stick_to_one_partition_for_a_batch()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.FromMilliseconds(100) });

        for (var i = 0; i < 5; i++)
        {
            producer.Produce("orders", null, Encoding.UTF8.GetBytes($"v{i}"));
        }

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], Values(request));
    }

    [Fact]
    public async Task NotLeaderOrFollower_refreshes_metadata_and_retries_on_the_new_leader()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero });
        var delivery = producer.ProduceAsync("orders", "21", "moved");
        var first = Broker1.ExpectMsg<ProduceRequest>(Wait);
        var before = MetadataRequests;

        Metadata = MetadataFor(("orders", 6, 2));
        Broker1.Reply(ProduceResponse.Failed(first.Topic, first.Partition, ErrorCode.NotLeaderOrFollower, "moved to broker 2"));

        var retry = Broker2.ExpectMsg<ProduceRequest>(Wait);
        Assert.True(MetadataRequests > before);
        Assert.Equal(first.Partition, retry.Partition);
        Assert.Equal(first.Records, retry.Records);
        Broker2.Reply(Ok(retry, 7));
        Assert.Equal(7, (await delivery.WaitAsync(Wait)).Offset);
    }

    [Fact]
    public async Task A_non_retriable_error_fails_the_record_with_its_code()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero });
        var delivery = producer.ProduceAsync("orders", "21", "too big");

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Broker1.Reply(ProduceResponse.Failed(request.Topic, request.Partition, ErrorCode.MessageTooLarge, "no"));

        var error = await Assert.ThrowsAsync<AkkaStreamException>(() => delivery.WaitAsync(Wait));
        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
    }

    [Fact]
    public async Task Acks_0_completes_without_a_response()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero, Acks = Acks.None });

        var report = await producer.ProduceAsync("orders", "21", "fire").WaitAsync(Wait);

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(Acks.None, request.Acks);
        Assert.Equal(-1, report.Offset);
        Assert.True(report.IsSuccess);
    }

    [Fact]
    public async Task Order_within_a_partition_survives_a_retry()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero, MaxInFlightPerPartition = 1 });
        var deliveries = new List<Task<DeliveryReport>> { producer.ProduceAsync("orders", "21", "m1") };
        // The first batch waits for the producer id; m2 and m3 come once it has left, so m1 travels alone.
        var first = Broker1.ExpectMsg<ProduceRequest>(Wait);
        deliveries.AddRange(new[] { "m2", "m3" }.Select(v => producer.ProduceAsync("orders", "21", v)));
        var firstSender = Broker1.LastSender;
        Assert.Equal(["m1"], Values(first));
        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // one in flight per partition
        firstSender.Tell(ProduceResponse.Failed(first.Topic, first.Partition, ErrorCode.RequestTimedOut, "slow"), Akka.Actor.ActorRefs.NoSender);

        var retried = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(["m1"], Values(retried));
        Broker1.Reply(Ok(retried, 10));
        var rest = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.Equal(["m2", "m3"], Values(rest));
        Broker1.Reply(Ok(rest, 11));

        var offsets = (await Task.WhenAll(deliveries).WaitAsync(Wait)).Select(r => r.Offset);
        Assert.Equal([10L, 11L, 12L], offsets);
    }

    [Fact]
    public async Task Several_batches_are_in_flight_and_after_an_error_the_failed_ones_are_resent_in_order()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero, MaxInFlightPerPartition = 3 });
        var deliveries = new List<Task<DeliveryReport>> { producer.ProduceAsync("orders", "21", "m1") };
        var sent = new List<(ProduceRequest Request, IActorRef Sender)> { (Broker1.ExpectMsg<ProduceRequest>(Wait), Broker1.LastSender) };
        // The first batch waits for the producer id; the others come once it has left, each a batch of its own.
        deliveries.AddRange(new[] { "m2", "m3", "m4" }.Select(v => producer.ProduceAsync("orders", "21", v)));
        for (var i = 1; i < 3; i++)
        {
            sent.Add((Broker1.ExpectMsg<ProduceRequest>(Wait), Broker1.LastSender));
        }
        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // three in flight at most
        Assert.Equal(["m1"], Values(sent[0].Request));
        sent[0].Sender.Tell(ProduceResponse.Failed("orders", sent[0].Request.Partition, ErrorCode.RequestTimedOut, "slow"), ActorRefs.NoSender);
        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(150)); // nothing leaves while m2 and m3 are unanswered
        foreach (var (request, sender) in sent.Skip(1))
        {
            sender.Tell(ProduceResponse.Failed("orders", request.Partition, ErrorCode.RequestTimedOut, "slow"), ActorRefs.NoSender);
        }

        var resent = new List<string>();
        long offset = 10;
        while (resent.Count < 4)
        {
            var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
            var values = Values(request);
            resent.AddRange(values);
            Broker1.Reply(Ok(request, offset));
            offset += values.Count;
        }
        Assert.Equal(["m1", "m2", "m3", "m4"], resent);
        var offsets = (await Task.WhenAll(deliveries).WaitAsync(Wait)).Select(r => r.Offset);
        Assert.Equal([10L, 11L, 12L, 13L], offsets);
    }

    [Fact]
    public async Task Records_produced_from_many_threads_at_once_each_get_one_report()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.FromMilliseconds(5), BatchSize = 16384 });
        Broker1.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            switch (message)
            {
                case MetadataRequest:
                    sender.Tell(Metadata);
                    break;
                case ProduceRequest request:
                    sender.Tell(Ok(request, 0));
                    break;
            }
            return AutoPilot.KeepRunning;
        }));
        const int threads = 4;
        const int perThread = 5_000;
        var reports = new int[threads * perThread];
        var done = new CountdownEvent(reports.Length);

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var n = (t * perThread) + i;
                producer.Produce(new ProduceRecord("orders", null, "v"u8.ToArray())
                {
                    OnDelivery = report =>
                    {
                        Assert.True(report.IsSuccess);
                        Interlocked.Increment(ref reports[n]);
                        done.Signal();
                    },
                });
            }
        })));

        Assert.True(done.Wait(Wait), $"{done.CurrentCount} records without a report");
        await producer.FlushAsync(Wait);
        Assert.All(reports, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Flush_sends_lingering_batches_and_waits_for_their_reports()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.FromSeconds(30) });
        var delivery = producer.ProduceAsync("orders", "21", "now");

        var flushed = producer.FlushAsync(Wait);

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Assert.False(flushed.IsCompleted);
        Broker1.Reply(Ok(request, 3));
        await flushed;
        Assert.True(delivery.IsCompletedSuccessfully);
    }

    [Fact]
    public void An_actor_can_tell_the_producer_and_receive_reports_as_messages()
    {
        var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero });

        producer.Actor.Tell(new ProduceRecord("orders", "21"u8.ToArray(), "x"u8.ToArray()) { Correlation = 42 }, TestActor);

        var request = Broker1.ExpectMsg<ProduceRequest>(Wait);
        Broker1.Reply(Ok(request, 5));
        var report = ExpectMsg<DeliveryReport>(Wait);
        Assert.Equal((5L, (object?)42), (report.Offset, report.Correlation));
    }

    [Fact]
    public async Task A_topic_that_never_appears_fails_with_UnknownTopicOrPartition()
    {
        await using var producer = Client.CreateProducer(Settings.Producer with { DeliveryTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<AkkaStreamException>(() => producer.ProduceAsync("missing", "k", "v").WaitAsync(Wait));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
    }
}
