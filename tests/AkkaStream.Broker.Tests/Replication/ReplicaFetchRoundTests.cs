using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>One fetch round on a leader broker (broker 1), with a probe standing in for the shard region and its entities.</summary>
public sealed class ReplicaFetchRoundTests : TestKit
{
    private static readonly TopicPartition A = new("t", 0);
    private static readonly TopicPartition B = new("t", 1);
    private static readonly TopicPartition C = new("t", 2);
    private readonly MetadataView _view = new();

    public ReplicaFetchRoundTests() : base(TestConfigs.Quiet)
    {
        _view.TryUpdate(new MetadataSnapshot("c", 1, 1, 1, [], new Dictionary<string, TopicState>
        {
            ["t"] = new("t", Guid.NewGuid(), new Dictionary<string, string>(),
                [new PartitionState(0, [1, 2], 1, 4, [1, 2]), new PartitionState(1, [1, 2], 1, 4, [1, 2]), new PartitionState(2, [2, 1], 2, 4, [2, 1])]),
        }));
    }

    private static ReplicaFetchRequest Request(int maxWaitMs, int maxBytes, params ReplicaFetchPartition[] partitions) =>
        Request(maxWaitMs, 1, maxBytes, partitions);

    private static ReplicaFetchRequest Request(int maxWaitMs, int minBytes, int maxBytes, params ReplicaFetchPartition[] partitions) =>
        new(2, 9, maxWaitMs, minBytes, maxBytes, partitions);

    private static ReplicaFetchPartition Fetch(TopicPartition tp, int epoch = 4) => new(tp, epoch, 0, -1, 1 << 20);

    private static ReplicaPartitionData Data(TopicPartition tp, int bytes) => new(tp, ErrorCode.None, null, 0, 0, bytes, -1, -1, new byte[bytes]);

    private (Akka.TestKit.TestProbe Region, Akka.TestKit.TestProbe Follower, IActorRef Round) Start(ReplicaFetchRequest request)
    {
        var region = CreateTestProbe();
        var follower = CreateTestProbe();
        var round = Sys.ActorOf(ReplicaFetchRound.Props(request, follower.Ref, 1, _view, region.Ref));
        return (region, follower, round);
    }

    private static PartitionEntity.ReplicaFetch Asked(Akka.TestKit.TestProbe region, TopicPartition tp, int epoch = 4)
    {
        var envelope = region.ExpectMsg<PartitionEnvelope>();
        Assert.Equal(new PartitionEntityId(tp, epoch, 1).ToString(), envelope.EntityId);
        var fetch = Assert.IsType<PartitionEntity.ReplicaFetch>(envelope.Message);
        Assert.Equal(2, fetch.FollowerBroker);
        return fetch;
    }

    [Fact]
    public void Partitions_this_broker_does_not_lead_in_that_epoch_are_answered_without_asking_an_entity()
    {
        var (region, follower, _) = Start(Request(5000, 1 << 20, Fetch(C), Fetch(A, epoch: 3), Fetch(B, epoch: 5), Fetch(new TopicPartition("gone", 0))));
        var response = follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal(9, response.Round);
        Assert.Equal([ErrorCode.NotLeaderOrFollower, ErrorCode.FencedLeaderEpoch, ErrorCode.UnknownLeaderEpoch, ErrorCode.UnknownTopicOrPartition],
            response.Partitions.Select(p => p.Error));
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Nothing_new_waits_until_an_entity_reports_an_append_then_that_partition_is_fetched_again()
    {
        var (region, follower, round) = Start(Request(10_000, 1 << 20, Fetch(A), Fetch(B)));
        Asked(region, A);
        Asked(region, B);
        round.Tell(Data(A, 0));
        round.Tell(Data(B, 0));
        follower.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // long poll

        round.Tell(new PartitionEntity.RecordsAppended(B));
        Asked(region, B);
        round.Tell(Data(B, 100));
        var response = follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal([0, 100], response.Partitions.Select(p => p.Records.Length));
    }

    [Fact]
    public void Records_short_of_min_bytes_wait_for_an_append_then_that_partition_is_fetched_again()
    {
        var (region, follower, round) = Start(Request(10_000, 150, 1 << 20, Fetch(A), Fetch(B)));
        // Each entity hears the round's min bytes, so that one answering fewer wakes the round on its next append.
        Assert.Equal(150, Asked(region, A).MinBytes);
        Assert.Equal(150, Asked(region, B).MinBytes);
        round.Tell(Data(A, 100));
        round.Tell(Data(B, 0));
        follower.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // 100 of 150 bytes: the round waits

        round.Tell(new PartitionEntity.RecordsAppended(A));
        Asked(region, A);
        round.Tell(Data(A, 200)); // from the same offset: the 100 bytes and what came since
        var response = follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal([200, 0], response.Partitions.Select(p => p.Records.Length));
    }

    [Fact]
    public void The_wait_ends_the_round_and_a_silent_entity_is_reported_unavailable()
    {
        var (region, follower, round) = Start(Request(300, 1 << 20, Fetch(A), Fetch(B)));
        Asked(region, A);
        Asked(region, B);
        round.Tell(Data(A, 0));
        var response = follower.ExpectMsg<ReplicaFetchResponse>(TimeSpan.FromSeconds(3));
        Assert.Equal([ErrorCode.None, ErrorCode.LeaderNotAvailable], response.Partitions.Select(p => p.Error));
    }

    [Fact]
    public void The_response_stays_within_its_byte_budget_but_always_carries_the_first_records()
    {
        var (region, follower, round) = Start(Request(5000, 1000, Fetch(A), Fetch(B)));
        var asked = Asked(region, A);
        Assert.Equal(1000, asked.Fetch.MaxBytes); // a partition's share never exceeds the response's
        Asked(region, B);
        round.Tell(Data(A, 1500)); // one large batch: goes whole
        round.Tell(Data(B, 10));   // over budget: left for the next round
        var response = follower.ExpectMsg<ReplicaFetchResponse>();
        Assert.Equal([1500, 0], response.Partitions.Select(p => p.Records.Length));
        Assert.All(response.Partitions, p => Assert.Equal(ErrorCode.None, p.Error));
    }
}
