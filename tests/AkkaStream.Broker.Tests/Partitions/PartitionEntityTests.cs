using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Partitions;

/// <summary>A leader entity alone: an in-memory journal, a real log manager in a temp directory.</summary>
public sealed class PartitionEntityTests : TestKit
{
    private const string Topic = "events";
    private readonly TempDir _dir = new();
    private readonly LogManager _logs;
    private readonly MetadataView _view = new();
    private readonly Guid _topicId = Guid.NewGuid();

    public PartitionEntityTests()
        : base(TestConfigs.InMemoryPersistence)
    {
        _logs = TestConfigs.OpenLogs(_dir);
        Publish(version: 1, epoch: 3, leader: 1);
    }

    protected override void AfterAll()
    {
        _logs.Dispose();
        _dir.Dispose();
        base.AfterAll();
    }

    private void Publish(long version, int epoch, int leader) =>
        _view.TryUpdate(new MetadataSnapshot("c", 1, 1, version, [new BrokerInfo(1, "127.0.0.1", 1)], new Dictionary<string, TopicState>
        {
            [Topic] = new(Topic, _topicId, new Dictionary<string, string>(), [new PartitionState(0, [1], leader, epoch, [1])]),
        }));

    private IActorRef Entity(int epoch = 3, int broker = 1, int self = 1) =>
        Sys.ActorOf(PartitionEntity.Props(new PartitionEntityId(new TopicPartition(Topic, 0), epoch, broker).ToString(), self, _view, _logs));

    private static ProduceRequest Produce(params string[] values) => new(Topic, 0, Acks.Leader, 5000, 3, Batches.Of(values));

    [Fact]
    public void Produce_fetch_and_list_offsets()
    {
        var entity = Entity();
        entity.Tell(Produce("a", "b"));
        Assert.Equal(0, ExpectMsg<ProduceResponse>().BaseOffset);
        entity.Tell(Produce("c"));
        var second = ExpectMsg<ProduceResponse>();
        Assert.Equal(ErrorCode.None, second.Error);
        Assert.Equal(2, second.BaseOffset);

        entity.Tell(new FetchRequest(Topic, 0, 0, 1 << 20, 0, 1, 3));
        var fetched = ExpectMsg<FetchResponse>();
        Assert.Equal(3, fetched.HighWatermark);
        Assert.Equal([(0L, "a"), (1L, "b"), (2L, "c")], Batches.Read(fetched.Records));

        entity.Tell(new ListOffsetsRequest(Topic, 0, ListOffsetsRequest.Earliest, -1));
        Assert.Equal(0, ExpectMsg<ListOffsetsResponse>().Offset);
        entity.Tell(new ListOffsetsRequest(Topic, 0, ListOffsetsRequest.Latest, -1));
        var latest = ExpectMsg<ListOffsetsResponse>();
        Assert.Equal(3, latest.Offset);
        Assert.Equal(3, latest.LeaderEpoch);
        entity.Tell(new ListOffsetsRequest(Topic, 0, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(), -1));
        Assert.Equal(-1, ExpectMsg<ListOffsetsResponse>().Offset);
    }

    [Fact]
    public void A_long_poll_fetch_is_answered_by_the_next_append_or_by_its_timer()
    {
        var entity = Entity();
        var consumer = CreateTestProbe();
        entity.Tell(new FetchRequest(Topic, 0, 0, 1 << 20, 10_000, 1, -1), consumer);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        entity.Tell(Produce("late"));
        ExpectMsg<ProduceResponse>();
        Assert.Equal([(0L, "late")], Batches.Read(consumer.ExpectMsg<FetchResponse>().Records));

        entity.Tell(new FetchRequest(Topic, 0, 1, 1 << 20, 300, 1, -1), consumer);
        var empty = consumer.ExpectMsg<FetchResponse>(TimeSpan.FromSeconds(3));
        Assert.Equal(ErrorCode.None, empty.Error);
        Assert.Empty(empty.Records);
    }

    [Fact]
    public void A_fetch_of_0_bytes_waits_like_any_other_and_answers_with_the_high_watermark_only()
    {
        var entity = Entity();
        var listener = CreateTestProbe();
        entity.Tell(new FetchRequest(Topic, 0, 0, MaxBytes: 0, 10_000, 1, -1), listener);
        entity.Tell(Produce("woke"));
        ExpectMsg<ProduceResponse>();
        var probe = listener.ExpectMsg<FetchResponse>();
        Assert.Equal(ErrorCode.None, probe.Error);
        Assert.Equal(1, probe.HighWatermark);
        Assert.Empty(probe.Records);

        // A long poll past the log end does not wait: it is answered at once, with the error.
        entity.Tell(new FetchRequest(Topic, 0, 5, 1 << 20, 10_000, 1, -1), listener);
        Assert.Equal(ErrorCode.OffsetOutOfRange, listener.ExpectMsg<FetchResponse>().Error);
    }

    [Fact]
    public void Bad_requests_get_error_codes_and_the_entity_keeps_serving()
    {
        var entity = Entity();
        var corrupt = Batches.Of("x");
        corrupt[^1] ^= 0xFF; // breaks the CRC
        entity.Tell(new ProduceRequest(Topic, 0, Acks.Leader, 5000, 3, corrupt));
        Assert.Equal(ErrorCode.CorruptMessage, ExpectMsg<ProduceResponse>().Error);
        entity.Tell(new ProduceRequest(Topic, 0, Acks.Leader, 5000, 3, [1, 2, 3]));
        Assert.NotEqual(ErrorCode.None, ExpectMsg<ProduceResponse>().Error);
        entity.Tell(new ProduceRequest(Topic, 0, (Acks)5, 5000, 3, Batches.Of("y")));
        Assert.Equal(ErrorCode.InvalidRequiredAcks, ExpectMsg<ProduceResponse>().Error);
        entity.Tell(new FetchRequest(Topic, 0, 42, 1 << 20, 0, 1, -1));
        Assert.Equal(ErrorCode.OffsetOutOfRange, ExpectMsg<FetchResponse>().Error);
        entity.Tell(new DeleteRecordsRequest(Topic, 0, 42));
        Assert.Equal(ErrorCode.OffsetOutOfRange, ExpectMsg<DeleteRecordsResponse>().Error);

        entity.Tell(Produce("ok"));
        var ok = ExpectMsg<ProduceResponse>();
        Assert.Equal(ErrorCode.None, ok.Error);
        Assert.Equal(0, ok.BaseOffset);
        entity.Tell(new DeleteRecordsRequest(Topic, 0, 1));
        Assert.Equal(1, ExpectMsg<DeleteRecordsResponse>().LowWatermark);
    }

    [Fact]
    public void Requests_with_an_old_epoch_are_fenced_and_a_newer_epoch_is_not_led_here()
    {
        var entity = Entity();
        entity.Tell(Produce("a") with { LeaderEpoch = 2 });
        Assert.Equal(ErrorCode.FencedLeaderEpoch, ExpectMsg<ProduceResponse>().Error);
        entity.Tell(new FetchRequest(Topic, 0, 0, 100, 0, 1, 4));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, ExpectMsg<FetchResponse>().Error);
        entity.Tell(Produce("b"));
        Assert.Equal(ErrorCode.None, ExpectMsg<ProduceResponse>().Error);
    }

    [Fact]
    public void An_entity_on_the_wrong_broker_or_of_an_older_epoch_refuses_to_serve()
    {
        var elsewhere = Entity(broker: 2, self: 1);
        elsewhere.Tell(Produce("a"));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, ExpectMsg<ProduceResponse>().Error);

        var stale = Entity(epoch: 2);
        stale.Tell(new FetchRequest(Topic, 0, 0, 100, 0, 1, -1));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, ExpectMsg<FetchResponse>().Error);
    }

    [Fact]
    public void A_newer_epoch_in_the_metadata_fences_the_running_leader()
    {
        var entity = Entity();
        entity.Tell(Produce("a"));
        ExpectMsg<ProduceResponse>();
        Publish(version: 2, epoch: 4, leader: 1);
        entity.Tell(Produce("b") with { LeaderEpoch = -1 });
        Assert.Equal(ErrorCode.NotLeaderOrFollower, ExpectMsg<ProduceResponse>().Error);

        var next = Entity(epoch: 4);
        next.Tell(new FetchRequest(Topic, 0, 0, 1 << 20, 0, 1, 4));
        Assert.Equal([(0L, "a")], Batches.Read(ExpectMsg<FetchResponse>().Records));
    }
}
