using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Partitions;

/// <summary>
/// A leader entity with one follower (broker 2) and a probe for the controller: its answers to
/// replica fetches, the high watermark, acks=all, and its ISR requests.
/// </summary>
public sealed class LeaderReplicationTests : TestKit
{
    private const string Topic = "replicated";
    private static readonly TopicPartition Tp = new(Topic, 0);
    private readonly TempDir _dir = new();
    private readonly LogManager _logs;
    private readonly MetadataView _view = new();
    private readonly Akka.TestKit.TestProbe _controller;

    public LeaderReplicationTests()
        : base(TestConfigs.InMemoryPersistence)
    {
        _logs = TestConfigs.OpenLogs(_dir);
        _controller = CreateTestProbe();
        _view.TryUpdate(new MetadataSnapshot("c", 1, 1, 1, [new BrokerInfo(1, "127.0.0.1", 1), new BrokerInfo(2, "127.0.0.1", 2)],
            new Dictionary<string, TopicState>
            {
                [Topic] = new(Topic, Guid.NewGuid(), new Dictionary<string, string> { ["min.insync.replicas"] = "1" },
                    [new PartitionState(0, [1, 2], 1, 3, [1, 2])]),
            }));
    }

    protected override void AfterAll()
    {
        _logs.Dispose();
        _dir.Dispose();
        base.AfterAll();
    }

    private IActorRef Leader(TimeSpan lag) =>
        Sys.ActorOf(PartitionEntity.Props(new PartitionEntityId(Tp, 3, 1).ToString(), 1, _view, _logs, _controller.Ref,
            ReplicationSettings.Default with { LagTimeMax = lag }));

    private static ProduceRequest Produce(Acks acks, int timeoutMs, params string[] values) => new(Topic, 0, acks, timeoutMs, 3, Batches.Of(values));

    private static PartitionEntity.ReplicaFetch FollowerFetch(long offset, int lastEpoch = -1) =>
        new(2, new ReplicaFetchPartition(Tp, 3, offset, lastEpoch, 1 << 20));

    /// <summary>The leader's answer to a follower's fetch, as the follower's session receives it.</summary>
    private static ReplicaPartitionData AnswerTo(Akka.TestKit.TestKitBase round) => round.ExpectMsg<PartitionEntity.ReplicaFetched>().Data;

    /// <summary>A leader with a 300 ms lag whose follower fetched once, and that follower's session (the leader sends it what an append brings).</summary>
    private (IActorRef Leader, Akka.TestKit.TestProbe Round) LeaderWithFollowerAtZero()
    {
        var leader = Leader(TimeSpan.FromMilliseconds(300));
        var round = CreateTestProbe();
        leader.Tell(FollowerFetch(0), round.Ref);
        AnswerTo(round);
        return (leader, round);
    }

    [Fact]
    public void Acks_all_completes_once_the_follower_has_fetched_past_the_batch()
    {
        var leader = Leader(TimeSpan.FromSeconds(30));
        var producer = CreateTestProbe();
        leader.Tell(Produce(Acks.All, 10_000, "a", "b"), producer.Ref);
        producer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        leader.Tell(FollowerFetch(0));
        var data = AnswerTo(this);
        Assert.Equal(ErrorCode.None, data.Error);
        Assert.Equal(0, data.HighWatermark); // the follower's position (0) holds it
        Assert.Equal(2, data.LogEndOffset);
        Assert.Equal([(0L, "a"), (1L, "b")], Batches.Read(data.Records));
        producer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // Consumers see nothing above the high watermark yet.
        leader.Tell(new FetchRequest(Topic, 0, 0, 1 << 20, 0, 0, -1));
        Assert.Empty(ExpectMsg<FetchResponse>().Records);

        leader.Tell(FollowerFetch(2, lastEpoch: 3));
        var next = AnswerTo(this);
        Assert.Equal(2, next.HighWatermark);
        Assert.Empty(next.Records);
        var acknowledged = producer.ExpectMsg<ProduceResponse>();
        Assert.Equal(ErrorCode.None, acknowledged.Error);
        Assert.Equal(0, acknowledged.BaseOffset);
        leader.Tell(new FetchRequest(Topic, 0, 0, 1 << 20, 0, 0, -1));
        Assert.Equal(2, Batches.Read(ExpectMsg<FetchResponse>().Records).Count);
    }

    [Fact]
    public void A_round_whose_answer_was_short_of_its_min_bytes_gets_the_records_of_the_next_append()
    {
        var leader = Leader(TimeSpan.FromSeconds(30));
        leader.Tell(Produce(Acks.Leader, 10_000, "a"));
        ExpectMsg<ProduceResponse>();

        // A round that wants any records waits only when it got none: this one got "a".
        var anyRound = CreateTestProbe();
        leader.Tell(FollowerFetch(0), anyRound.Ref);
        Assert.NotEmpty(AnswerTo(anyRound).Records);
        // A round that wants 1 MiB got "a" too, and keeps waiting for more.
        var bigRound = CreateTestProbe();
        leader.Tell(FollowerFetch(0) with { MinBytes = 1 << 20, Round = 7 }, bigRound.Ref);
        Assert.NotEmpty(AnswerTo(bigRound).Records);

        leader.Tell(Produce(Acks.Leader, 10_000, "b"));
        ExpectMsg<ProduceResponse>();
        // The big round hears of "b" without asking again: the records from its own offset, under its own round number.
        var pushed = bigRound.ExpectMsg<PartitionEntity.ReplicaFetched>();
        Assert.Equal(7, pushed.Round);
        Assert.Equal([(0L, "a"), (1L, "b")], Batches.Read(pushed.Data.Records));
        anyRound.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>What the broker's metadata cache does with a newer snapshot: keeps it, then tells the event stream.</summary>
    private void PublishMetadata(long version, PartitionState partition)
    {
        var snapshot = _view.Current with
        {
            Version = version,
            Topics = new Dictionary<string, TopicState> { [Topic] = _view.Current.Topics[Topic] with { Partitions = [partition] } },
        };
        _view.TryUpdate(snapshot);
        Sys.EventStream.Publish(snapshot);
    }

    [Fact]
    public void The_controller_removing_a_lost_follower_from_the_isr_completes_the_writes_waiting_for_it()
    {
        var leader = Leader(TimeSpan.FromSeconds(30));
        leader.Tell(Produce(Acks.Leader, 5000, "serving"));
        ExpectMsg<ProduceResponse>(); // serving, so following the metadata
        var producer = CreateTestProbe();
        leader.Tell(Produce(Acks.All, 10_000, "waits"), producer.Ref);
        producer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // The same version again is no news: the leader keeps counting the follower.
        Sys.EventStream.Publish(_view.Current with
        {
            Topics = new Dictionary<string, TopicState> { [Topic] = _view.Current.Topics[Topic] with { Partitions = [new PartitionState(0, [1, 2], 1, 3, [1])] } },
        });
        producer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // The controller lost broker 2: same leader and epoch, a smaller ISR in a newer version.
        PublishMetadata(2, new PartitionState(0, [1, 2], 1, 3, [1]));
        var acknowledged = producer.ExpectMsg<ProduceResponse>(TimeSpan.FromSeconds(5));
        Assert.Equal((ErrorCode.None, 1L), (acknowledged.Error, acknowledged.BaseOffset));
        _controller.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the leader asked for nothing: the controller decided

        // A newer epoch in the metadata: the leader steps down at once, not at its next check (15 s
        // away) or when the waiting consumer's fetch expires (10 s away).
        var consumer = CreateTestProbe();
        leader.Tell(new FetchRequest(Topic, 0, 2, 1 << 20, 10_000, 1, 3), consumer.Ref);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        PublishMetadata(3, new PartitionState(0, [1, 2], 2, 4, [2]));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, consumer.ExpectMsg<FetchResponse>(TimeSpan.FromSeconds(3)).Error);
    }

    [Fact]
    public void A_follower_whose_last_epoch_ends_earlier_here_is_told_where_to_truncate()
    {
        var leader = Leader(TimeSpan.FromSeconds(30));
        leader.Tell(Produce(Acks.Leader, 5000, "a", "b"));
        ExpectMsg<ProduceResponse>();
        // The follower claims 5 records of epoch 2; this leader's history starts epoch 3 at offset 0.
        leader.Tell(FollowerFetch(5, lastEpoch: 2));
        var diverging = AnswerTo(this);
        Assert.True(diverging.IsDiverging);
        Assert.Equal(2, diverging.DivergingEpoch);
        Assert.Equal(0, diverging.DivergingEndOffset);
        Assert.Empty(diverging.Records);
        // Ahead of the leader in the leader's own epoch: cut back to the leader's log end.
        leader.Tell(FollowerFetch(7, lastEpoch: 3));
        var ahead = AnswerTo(this);
        Assert.Equal((3, 2L), (ahead.DivergingEpoch, ahead.DivergingEndOffset));
        // A broker without a replica is refused.
        leader.Tell(new PartitionEntity.ReplicaFetch(9, new ReplicaFetchPartition(Tp, 3, 0, -1, 1 << 20)));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, AnswerTo(this).Error);
    }

    [Fact]
    public void A_leader_cut_off_from_the_controller_cannot_complete_acks_all_and_steps_down_when_fenced()
    {
        var (leader, round) = LeaderWithFollowerAtZero();
        var producer = CreateTestProbe();
        leader.Tell(Produce(Acks.All, 1500, "alone"), producer.Ref);

        // The silent follower lags: the leader asks the controller to drop it...
        var shrink = _controller.ExpectMsg<ControllerActor.AlterIsr>(TimeSpan.FromSeconds(5));
        Assert.Equal([1], shrink.Isr);
        Assert.Equal((1, 3), (shrink.Leader, shrink.LeaderEpoch));
        // ...but no answer comes, so it never counts the smaller ISR: the write is not acknowledged.
        Assert.Equal(ErrorCode.RequestTimedOut, producer.ExpectMsg<ProduceResponse>(TimeSpan.FromSeconds(5)).Error);

        // The controller knows a newer leader: this one steps down.
        _controller.Reply(new ControllerActor.IsrAltered(Topic, 0, ErrorCode.FencedLeaderEpoch, "led by broker 2 in epoch 4", 2, 4, [2], 2));
        leader.Tell(Produce(Acks.Leader, 5000, "late"));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, ExpectMsg<ProduceResponse>().Error);
    }

    [Fact]
    public void An_accepted_shrink_lets_acks_all_complete_and_min_insync_replicas_is_enforced()
    {
        _view.TryUpdate(_view.Current with
        {
            Version = 2,
            Topics = new Dictionary<string, TopicState>
            {
                [Topic] = _view.Current.Topics[Topic] with { Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "2" } },
            },
        });
        var (leader, round) = LeaderWithFollowerAtZero();
        var producer = CreateTestProbe();
        leader.Tell(Produce(Acks.All, 10_000, "waits"), producer.Ref);
        var shrink = _controller.ExpectMsg<ControllerActor.AlterIsr>(TimeSpan.FromSeconds(5));
        _controller.Reply(new ControllerActor.IsrAltered(Topic, 0, ErrorCode.None, null, 1, 3, shrink.Isr, 3));
        // Replicated to the whole (smaller) ISR, which is now below min.insync.replicas = 2.
        Assert.Equal(ErrorCode.NotEnoughReplicasAfterAppend, producer.ExpectMsg<ProduceResponse>(TimeSpan.FromSeconds(5)).Error);
        leader.Tell(Produce(Acks.All, 10_000, "refused"));
        Assert.Equal(ErrorCode.NotEnoughReplicas, ExpectMsg<ProduceResponse>().Error);

        // The follower catches up: the leader asks for it back.
        Assert.Single(Batches.Read(AnswerTo(round).Records)); // "waits", sent to the follower's waiting round
        leader.Tell(FollowerFetch(1, lastEpoch: 3), round.Ref);
        AnswerTo(round);
        var expand = _controller.ExpectMsg<ControllerActor.AlterIsr>(TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2], expand.Isr);
    }
}
