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

    [Fact]
    public void The_current_leader_may_shrink_and_grow_its_isr_in_replica_order()
    {
        var state = StateWith(Led);
        var shrunk = IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2, 3]), state)!;
        Assert.Equal([2, 3], shrunk.Partition.Isr);
        Assert.Equal((2, 5), (shrunk.Partition.Leader, shrunk.Partition.LeaderEpoch)); // an ISR change keeps the epoch
        state.Apply(shrunk);
        Assert.Equal([1, 2, 3], IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [3, 2, 1]), state)!.Partition.Isr);
        Assert.Null(IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [3, 2]), state));
    }

    [Fact]
    public void A_stale_or_deposed_leader_and_malformed_isrs_are_refused()
    {
        var state = StateWith(Led);
        var stale = Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 4, [2]), state));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, stale.Code);
        Assert.Equal(ErrorCode.FencedLeaderEpoch, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 1, 5, [1]), state)).Code);
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [3]), state)).Code);
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2, 4]), state)).Code);
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 0, 2, 5, [2, 2]), state)).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Assert.Throws<AkkaStreamException>(() => IsrChanges.Decide(new ControllerActor.AlterIsr("t", 1, 2, 5, [2]), state)).Code);
    }
}
