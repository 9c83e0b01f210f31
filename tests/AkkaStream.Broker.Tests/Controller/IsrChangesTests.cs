using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Tests.Controller;

public sealed class IsrChangesTests
{
    private static ControllerState StateWith(PartitionState partition)
    {
        var state = new ControllerState();
        state.Apply(new TopicCreated(new TopicState("t", Guid.NewGuid(), new Dictionary<string, string>(), [partition])));
        return state;
    }

    private static readonly PartitionState Led = new(0, [1, 2, 3], 2, 5, [2, 3, 1]);

    private static readonly HashSet<int> AllLive = [1, 2, 3];

    [Fact]
    public void The_current_leader_may_shrink_and_grow_its_isr_in_replica_order()
    {
        var state = StateWith(Led);
        var shrunk = IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2, 3]), state, AllLive)!;
        Assert.Equal([2, 3], shrunk.Partition.Isr);
        Assert.Equal((2, 5), (shrunk.Partition.Leader, shrunk.Partition.LeaderEpoch)); // an ISR change keeps the epoch
        state.Apply(shrunk);
        Assert.Equal([1, 2, 3], IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [3, 2, 1]), state, AllLive)!.Partition.Isr);
        Assert.Null(IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [3, 2]), state, AllLive));
    }

    [Fact]
    public void A_stale_or_deposed_leader_and_malformed_isrs_are_refused()
    {
        var state = StateWith(Led);
        var stale = Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 4, [2]), state, AllLive));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, stale.Code);
        Assert.Equal(ErrorCode.FencedLeaderEpoch, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 1, 5, [1]), state, AllLive)).Code);
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [3]), state, AllLive)).Code);
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2, 4]), state, AllLive)).Code);
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2, 2]), state, AllLive)).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 1, 2, 5, [2]), state, AllLive)).Code);
    }

    [Fact]
    public void A_broker_that_is_not_live_may_stay_in_the_isr_but_not_join_it()
    {
        var state = StateWith(Led with { Isr = [2, 3] });
        var withoutOne = new HashSet<int> { 2, 3 };

        var ineligible = Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [1, 2, 3]), state, withoutOne));
        Assert.Equal(ErrorCode.IneligibleReplica, ineligible.Code);
        Assert.Contains("broker 1 is not live", ineligible.Message);
        Assert.Equal([1, 2, 3], IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [1, 2, 3]), state, AllLive)!.Partition.Isr);
        // Dropping a member is no join: a leader may shrink past a broker that is gone.
        Assert.Equal([2], IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2]), state, new HashSet<int> { 2 })!.Partition.Isr);
    }

    [Fact]
    public void Lost_brokers_leave_the_isr_of_a_partition_whose_leader_is_live_with_leader_and_epoch_kept()
    {
        var lostThree = new HashSet<int> { 3 };
        var fenced = IsrChanges.WithoutLostReplicas(Led, new HashSet<int> { 1, 2 }, lostThree)!;
        Assert.Equal((2, 5), (fenced.Leader, fenced.LeaderEpoch));
        Assert.Equal([2, 1], fenced.Isr);
        Assert.Equal([1, 2, 3], fenced.Replicas);

        Assert.Null(IsrChanges.WithoutLostReplicas(Led, AllLive, new HashSet<int>())); // nobody lost
        Assert.Null(IsrChanges.WithoutLostReplicas(Led, new HashSet<int> { 1, 2 }, new HashSet<int>())); // not live, but not counted lost yet
        Assert.Null(IsrChanges.WithoutLostReplicas(Led with { Isr = [2, 1] }, new HashSet<int> { 1, 2 }, lostThree)); // already out
        Assert.Null(IsrChanges.WithoutLostReplicas(Led, new HashSet<int> { 1, 3 }, new HashSet<int> { 2 })); // its leader is lost: an election's work
        Assert.Null(IsrChanges.WithoutLostReplicas(Led with { Leader = LeaderElection.NoLeader }, AllLive, lostThree)); // offline
    }
}
