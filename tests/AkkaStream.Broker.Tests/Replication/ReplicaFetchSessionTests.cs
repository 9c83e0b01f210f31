using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>
/// Follower broker 2's fetch session on a leader broker (broker 1), with probes standing in for the
/// shard region, the leader entities and the follower's fetcher.
/// </summary>
public sealed class ReplicaFetchSessionTests : TestKit
{
    private static readonly TopicPartition A = new("t", 0);
    private static readonly TopicPartition B = new("t", 1);
    private static readonly TopicPartition C = new("t", 2);
    private readonly MetadataView _view = new();
    private readonly TestProbe _region;
    private readonly TestProbe _follower;
    private readonly IActorRef _session;

    public ReplicaFetchSessionTests() : base(TestConfigs.Quiet)
    {
        _view.TryUpdate(new MetadataSnapshot("c", 1, 1, 1, [], new Dictionary<string, TopicState>
        {
            ["t"] = new("t", Guid.NewGuid(), new Dictionary<string, string>(),
                [new PartitionState(0, [1, 2], 1, 4, [1, 2]), new PartitionState(1, [1, 2], 1, 4, [1, 2]), new PartitionState(2, [2, 1], 2, 4, [2, 1])]),
        }));
        _region = CreateTestProbe();
        _follower = CreateTestProbe();
        _session = Sys.ActorOf(ReplicaFetchSession.Props(1, _view, _region.Ref));
    }

    private void Send(int round, int maxWaitMs, int maxBytes, params ReplicaFetchPartition[] partitions) =>
        Send(round, maxWaitMs, 1, maxBytes, partitions);

    private void Send(int round, int maxWaitMs, int minBytes, int maxBytes, params ReplicaFetchPartition[] partitions) =>
        _session.Tell(new ReplicaFetchRequest(2, round, maxWaitMs, minBytes, maxBytes, partitions), _follower.Ref);

    private static ReplicaFetchPartition Fetch(TopicPartition tp, int epoch = 4) => new(tp, epoch, 0, -1, 1 << 20);

    private static ReplicaPartitionData Data(TopicPartition tp, int bytes) => new(tp, ErrorCode.None, null, 0, 0, bytes, -1, -1, new byte[bytes]);

    /// <summary>The fetch the session sent through the region for <paramref name="tp"/>'s leader entity in <paramref name="epoch"/>.</summary>
    private PartitionEntity.ReplicaFetch AskedThroughRegion(TopicPartition tp, int epoch = 4)
    {
        var envelope = _region.ExpectMsg<PartitionEnvelope>();
        Assert.Equal(new PartitionEntityId(tp, epoch, 1).ToString(), envelope.EntityId);
        var fetch = Assert.IsType<PartitionEntity.ReplicaFetch>(envelope.Message);
        Assert.Equal((2, tp), (fetch.FollowerBroker, fetch.Fetch.Partition));
        return fetch;
    }

    /// <summary>An entity's answer to <paramref name="asked"/> (or what it sends later, in the same round).</summary>
    private void Answer(TestProbe entity, PartitionEntity.ReplicaFetch asked, ReplicaPartitionData data) =>
        entity.Send(_session, new PartitionEntity.ReplicaFetched(asked.Round, data));

    [Fact]
    public void Partitions_this_broker_does_not_lead_in_that_epoch_are_answered_without_asking_an_entity()
    {
        Send(9, 5000, 1 << 20, Fetch(C), Fetch(A, epoch: 3), Fetch(B, epoch: 5), Fetch(new TopicPartition("gone", 0)));
        var response = _follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal(9, response.Round);
        Assert.Equal([ErrorCode.NotLeaderOrFollower, ErrorCode.FencedLeaderEpoch, ErrorCode.UnknownLeaderEpoch, ErrorCode.UnknownTopicOrPartition],
            response.Partitions.Select(p => p.Error));
        _region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Nothing_new_waits_until_an_entity_sends_what_an_append_brought()
    {
        var (entityA, entityB) = (CreateTestProbe(), CreateTestProbe());
        Send(9, 10_000, 1 << 20, Fetch(A), Fetch(B));
        var askedA = AskedThroughRegion(A);
        var askedB = AskedThroughRegion(B);
        Answer(entityA, askedA, Data(A, 0));
        Answer(entityB, askedB, Data(B, 0));
        _follower.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // long poll

        Answer(entityB, askedB, Data(B, 100));
        var response = _follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal([0, 100], response.Partitions.Select(p => p.Records.Length));
        _region.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no entity was asked again
    }

    [Fact]
    public void Records_short_of_min_bytes_wait_until_an_entity_sends_more()
    {
        var (entityA, entityB) = (CreateTestProbe(), CreateTestProbe());
        Send(9, 10_000, 150, 1 << 20, Fetch(A), Fetch(B));
        // Each entity hears the round's min bytes, so that one answering fewer sends more at its next append.
        var askedA = AskedThroughRegion(A);
        var askedB = AskedThroughRegion(B);
        Assert.Equal((150, 150), (askedA.MinBytes, askedB.MinBytes));
        Answer(entityA, askedA, Data(A, 100));
        Answer(entityB, askedB, Data(B, 0));
        _follower.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // 100 of 150 bytes: the round waits

        Answer(entityA, askedA, Data(A, 200)); // from the same offset: the 100 bytes and what came since
        Assert.Equal([200, 0], _follower.ExpectMsg<ReplicaFetchResponse>().Partitions.Select(p => p.Records.Length));
    }

    [Fact]
    public void The_wait_ends_the_round_and_a_silent_entity_is_reported_unavailable()
    {
        Send(9, 300, 1 << 20, Fetch(A), Fetch(B));
        Answer(CreateTestProbe(), AskedThroughRegion(A), Data(A, 0));
        AskedThroughRegion(B);
        var response = _follower.ExpectMsg<ReplicaFetchResponse>(TimeSpan.FromSeconds(3));
        Assert.Equal([ErrorCode.None, ErrorCode.LeaderNotAvailable], response.Partitions.Select(p => p.Error));
    }

    [Fact]
    public void The_response_stays_within_its_byte_budget_but_always_carries_the_first_records()
    {
        Send(9, 5000, 1000, Fetch(A), Fetch(B));
        var askedA = AskedThroughRegion(A);
        Assert.Equal(1000, askedA.Fetch.MaxBytes); // a partition's share never exceeds the response's
        var askedB = AskedThroughRegion(B);
        Answer(CreateTestProbe(), askedA, Data(A, 1500)); // one large batch: goes whole
        Answer(CreateTestProbe(), askedB, Data(B, 10));   // over budget: left for the next round
        var response = _follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal([1500, 0], response.Partitions.Select(p => p.Records.Length));
        Assert.All(response.Partitions, p => Assert.Equal(ErrorCode.None, p.Error));
    }

    [Fact]
    public void The_next_round_asks_the_entities_that_answered_directly_and_drops_what_comes_for_the_last()
    {
        var (entityA, entityB) = (CreateTestProbe(), CreateTestProbe());
        Send(9, 10_000, 1 << 20, Fetch(A), Fetch(B));
        var firstA = AskedThroughRegion(A);
        var firstB = AskedThroughRegion(B);
        Answer(entityA, firstA, Data(A, 100));
        Answer(entityB, firstB, Data(B, 0));
        Assert.Equal(9, _follower.ExpectMsg<ReplicaFetchResponse>().Round);

        Send(10, 10_000, 1 << 20, Fetch(A), Fetch(B));
        var secondA = entityA.ExpectMsg<PartitionEntity.ReplicaFetch>();
        var secondB = entityB.ExpectMsg<PartitionEntity.ReplicaFetch>();
        _region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.True(secondA.Round > firstA.Round);
        // B's records for the first round (sent before B heard of the second) are not this round's.
        Answer(entityB, firstB, Data(B, 50));
        Answer(entityA, secondA, Data(A, 0));
        Answer(entityB, secondB, Data(B, 0));
        _follower.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Answer(entityA, secondA, Data(A, 30));
        var response = _follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal(10, response.Round);
        Assert.Equal([30, 0], response.Partitions.Select(p => p.Records.Length));
    }

    [Fact]
    public void A_round_waiting_on_an_entity_that_stops_asks_again_through_the_region()
    {
        var entityA = CreateTestProbe();
        Send(9, 10_000, 1 << 20, Fetch(A));
        Answer(entityA, AskedThroughRegion(A), Data(A, 100));
        _follower.ExpectMsg<ReplicaFetchResponse>();

        Send(10, 10_000, 1 << 20, Fetch(A));
        var lost = entityA.ExpectMsg<PartitionEntity.ReplicaFetch>();
        Sys.Stop(entityA.Ref); // stopped before it answered
        var again = AskedThroughRegion(A);
        Assert.Equal(lost.Round, again.Round);
        Answer(CreateTestProbe(), again, Data(A, 20));
        Assert.Equal([20], _follower.ExpectMsg<ReplicaFetchResponse>().Partitions.Select(p => p.Records.Length));
    }
}
