using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;

namespace AkkaStream.Broker.Tests.Controller;

/// <summary>Leader choice after liveness changes, and preferred-leader election.</summary>
public class LeaderElectionTests
{
    private static readonly PartitionState LedByOne = new(0, [1, 2, 3], 1, 4, [1]);

    [Fact]
    public void A_partition_whose_only_in_sync_replica_dies_goes_offline_rather_than_lose_data()
    {
        var offline = LeaderElection.Elect(LedByOne, new HashSet<int> { 2, 3 }, uncleanAllowed: false);
        Assert.NotNull(offline);
        Assert.Equal(LeaderElection.NoLeader, offline.Leader);
        Assert.Equal(5, offline.LeaderEpoch);
        Assert.Equal([1], offline.Isr);
    }

    [Fact]
    public void The_returning_in_sync_replica_leads_again_with_the_next_epoch()
    {
        var offline = LeaderElection.Elect(LedByOne, new HashSet<int> { 2, 3 }, uncleanAllowed: false)!;
        var back = LeaderElection.Elect(offline, new HashSet<int> { 1, 2, 3 }, uncleanAllowed: false);
        Assert.Equal((1, 6), (back!.Leader, back.LeaderEpoch));
    }

    [Fact]
    public void Unclean_election_takes_any_live_replica()
    {
        var unclean = LeaderElection.Elect(LedByOne, new HashSet<int> { 3 }, uncleanAllowed: true);
        Assert.Equal(3, unclean!.Leader);
    }

    [Fact]
    public void A_live_leader_is_kept() => Assert.Null(LeaderElection.Elect(LedByOne, new HashSet<int> { 1, 2 }, uncleanAllowed: false));

    [Fact]
    public void A_new_leader_comes_from_the_live_isr_and_the_dead_leader_leaves_it()
    {
        var elected = LeaderElection.Elect(new PartitionState(0, [1, 2, 3], 1, 4, [1, 2, 3]), new HashSet<int> { 2, 3 }, uncleanAllowed: false)!;
        Assert.Equal((2, 5), (elected.Leader, elected.LeaderEpoch));
        Assert.Equal([2, 3], elected.Isr);
    }

    [Fact]
    public void Leadership_goes_back_to_the_preferred_replica_only_when_it_is_live_and_in_sync()
    {
        var moved = new PartitionState(0, [1, 2, 3], 2, 5, [2, 3]);
        Assert.Null(LeaderElection.Preferred(moved, new HashSet<int> { 1, 2, 3 })); // not in sync yet
        var caughtUp = moved with { Isr = [2, 3, 1] };
        Assert.Null(LeaderElection.Preferred(caughtUp, new HashSet<int> { 2, 3 })); // not live
        var back = LeaderElection.Preferred(caughtUp, new HashSet<int> { 1, 2, 3 })!;
        Assert.Equal((1, 6), (back.Leader, back.LeaderEpoch));
        Assert.Equal([2, 3, 1], back.Isr);
        Assert.Null(LeaderElection.Preferred(back, new HashSet<int> { 1, 2, 3 })); // already there
    }
}
