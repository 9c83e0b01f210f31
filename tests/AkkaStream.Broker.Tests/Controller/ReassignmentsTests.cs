using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.Controller;

public sealed class ReassignmentsTests
{
    private static readonly HashSet<int> AllLive = [1, 2, 3];
    private static readonly TopicPartition Tp = new("t", 0);

    /// <summary>Partition t-0 on [1,2], led by 1 in epoch 4, both in sync.</summary>
    private static ControllerState State()
    {
        var state = new ControllerState();
        state.Apply(new TopicCreated(new TopicState("t", Guid.NewGuid(), new Dictionary<string, string>(), [new PartitionState(0, [1, 2], 1, 4, [1, 2])])));
        return state;
    }

    private static ReassignmentStarted Start(ControllerState state, params int[] target) =>
        Reassignments.Start(new AlterPartitionReassignmentsRequest("t", 0, target), state, AllLive)!;

    private static PartitionState Partition(ControllerState state) => state.Topics["t"].Partitions[0];

    private static void Isr(ControllerState state, params int[] isr) => state.Apply(new LeaderChanged("t", Partition(state) with { Isr = isr }));

    [Fact]
    public void A_reassignment_adds_the_target_then_ends_on_it_alone_once_it_is_in_sync_with_a_leader_from_the_target()
    {
        var state = State();
        var started = Start(state, 3, 2);
        Assert.Equal([3, 2, 1], started.Partition.Replicas);
        Assert.Equal([1, 2], started.Partition.Isr);
        Assert.Equal((1, 5), (started.Partition.Leader, started.Partition.LeaderEpoch)); // the leader stays, in the next epoch
        state.Apply(started);
        Assert.Equal([3, 2], state.Reassignments[Tp]);
        Assert.Empty(Reassignments.Completions(state, AllLive)); // broker 3 is not in sync yet

        Isr(state, 1, 2, 3);
        var completed = Assert.Single(Reassignments.Completions(state, AllLive));
        Assert.Equal([3, 2], completed.Partition.Replicas);
        Assert.Equal([3, 2], completed.Partition.Isr);
        Assert.Equal((3, 6), (completed.Partition.Leader, completed.Partition.LeaderEpoch));
        state.Apply(completed);
        Assert.Empty(state.Reassignments);
        Assert.Equal([3, 2], Partition(state).Replicas);
        Assert.Empty(Reassignments.Completions(state, AllLive));
    }

    [Fact]
    public void A_leader_in_the_target_keeps_leading_and_a_target_with_no_live_broker_waits()
    {
        var state = State();
        state.Apply(Start(state, 2, 1, 3));
        Isr(state, 1, 2, 3);
        var completed = Assert.Single(Reassignments.Completions(state, AllLive));
        Assert.Equal((1, 6), (completed.Partition.Leader, completed.Partition.LeaderEpoch));

        var moving = State();
        moving.Apply(Start(moving, 3));
        Isr(moving, 1, 2, 3);
        Assert.Empty(Reassignments.Completions(moving, new HashSet<int> { 1, 2 })); // broker 3 went away meanwhile
        Assert.Equal(3, Assert.Single(Reassignments.Completions(moving, AllLive)).Partition.Leader);
    }

    [Fact]
    public void A_new_target_replaces_the_one_in_progress_and_the_same_target_changes_nothing()
    {
        var state = State();
        Assert.Null(Reassignments.Start(new AlterPartitionReassignmentsRequest("t", 0, [1, 2]), state, AllLive));
        state.Apply(Start(state, 3, 2));
        Assert.Null(Reassignments.Start(new AlterPartitionReassignmentsRequest("t", 0, [3, 2]), state, AllLive));
        var replaced = Start(state, 2);
        state.Apply(replaced);
        Assert.Equal([2], state.Reassignments[Tp]);
        Assert.Equal([2, 3, 1], Partition(state).Replicas);
        Assert.Equal(6, Partition(state).LeaderEpoch);
        // The ISR already holds broker 2: done, and broker 2 takes over from broker 1.
        var completed = Assert.Single(Reassignments.Completions(state, AllLive));
        Assert.Equal((2, 7), (completed.Partition.Leader, completed.Partition.LeaderEpoch));
    }

    private static ReassignmentCancelled Cancel(ControllerState state, IReadOnlySet<int>? live = null) =>
        Reassignments.Cancel(AlterPartitionReassignmentsRequest.Cancel("t", 0), state, live ?? AllLive);

    [Fact]
    public void A_cancel_restores_the_original_replicas_even_after_a_new_target_and_drops_the_added_ones_from_the_isr()
    {
        var state = State();
        state.Apply(Start(state, 3, 2));
        state.Apply(Start(state, 3)); // a new target keeps the original replicas
        Isr(state, 1, 2, 3);
        Assert.Equal([1, 2], state.OriginalReplicas[Tp]);
        var cancelled = Cancel(state);
        Assert.Equal([1, 2], cancelled.Partition.Replicas);
        Assert.Equal([1, 2], cancelled.Partition.Isr);
        Assert.Equal((1, 7), (cancelled.Partition.Leader, cancelled.Partition.LeaderEpoch));
        state.Apply(cancelled);
        Assert.Empty(state.Reassignments);
        Assert.Empty(state.OriginalReplicas);
        Assert.Equal([1, 2], Partition(state).Replicas);
        Assert.Empty(Reassignments.Completions(state, AllLive));
        Assert.Equal(ErrorCode.NoReassignmentInProgress, Assert.Throws<AkkaStreamException>(() => Cancel(state)).Code);
    }

    [Fact]
    public void A_cancel_moves_leadership_back_to_an_original_replica_and_refuses_when_none_is_in_sync_and_live()
    {
        var state = State();
        state.Apply(Start(state, 3));
        Isr(state, 1, 2, 3);
        state.Apply(new LeaderChanged("t", Partition(state) with { Leader = 3, LeaderEpoch = 6 }));
        var cancelled = Cancel(state);
        Assert.Equal((1, 7), (cancelled.Partition.Leader, cancelled.Partition.LeaderEpoch));
        Assert.Equal([1, 2], cancelled.Partition.Isr);

        Isr(state, 3);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Assert.Throws<AkkaStreamException>(() => Cancel(state)).Code);
        Isr(state, 3, 2);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Assert.Throws<AkkaStreamException>(() => Cancel(state, new HashSet<int> { 1, 3 })).Code);
        Assert.Equal(2, Cancel(state).Partition.Leader);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition,
            Assert.Throws<AkkaStreamException>(() => Reassignments.Cancel(AlterPartitionReassignmentsRequest.Cancel("nope", 0), state, AllLive)).Code);
    }

    [Fact]
    public void Unknown_partitions_and_invalid_targets_are_refused_with_kafkas_error_codes()
    {
        var state = State();
        ErrorCode Refused(string topic, int partition, params int[] target) =>
            Assert.Throws<AkkaStreamException>(() => Reassignments.Start(new AlterPartitionReassignmentsRequest(topic, partition, target), state, AllLive)).Code;
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Refused("nope", 0, 1));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Refused("t", 1, 1));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Refused("t", 0));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Refused("t", 0, 3, 3));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Refused("t", 0, 3, 4));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Refused("t", 0, -1));
        Assert.Empty(state.Reassignments);
    }

    [Fact]
    public void The_list_shows_replicas_still_catching_up_and_those_to_be_removed_and_survives_a_snapshot()
    {
        var state = State();
        state.Apply(Start(state, 3, 2));
        var listed = Assert.Single(Reassignments.List(new ListPartitionReassignmentsRequest(null), state).Reassignments);
        Assert.Equal(("t", 0), (listed.Topic, listed.Partition));
        Assert.Equal([3, 2, 1], listed.Replicas);
        Assert.Equal([3], listed.AddingReplicas);
        Assert.Equal([1], listed.RemovingReplicas);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Reassignments.List(new ListPartitionReassignmentsRequest(["nope"]), state).Error);

        var recovered = new ControllerState();
        recovered.Apply(state.ToSnapshot());
        Assert.Equal([3, 2], recovered.Reassignments[Tp]);
        Assert.Equal([1, 2], recovered.OriginalReplicas[Tp]);
        Assert.Equal([3, 2, 1], recovered.Topics["t"].Partitions[0].Replicas);

        recovered.Apply(new TopicDeleted("t"));
        Assert.Empty(recovered.Reassignments);
        Assert.Empty(recovered.OriginalReplicas);
    }
}
