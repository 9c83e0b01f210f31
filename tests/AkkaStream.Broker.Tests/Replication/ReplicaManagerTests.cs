using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Replication;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Tests.Replication;

/// <summary>Broker 3's replica manager: what it follows, in which session, from each metadata snapshot on the event stream.</summary>
public sealed class ReplicaManagerTests : TestKit
{
    private readonly TempDir _dir = new();
    private readonly LogManager _logs;
    private readonly MetadataView _view = new();
    private readonly Guid _topicId = Guid.NewGuid();

    public ReplicaManagerTests() : base(TestConfigs.Quiet) => _logs = TestConfigs.OpenLogs(_dir);

    protected override void AfterAll()
    {
        _logs.Dispose();
        _dir.Dispose();
        base.AfterAll();
    }

    private MetadataSnapshot Snapshot(long version, params PartitionState[] partitions) =>
        new("c", 1, 1, version, [new BrokerInfo(1, "127.0.0.1", 1), new BrokerInfo(2, "127.0.0.1", 2), new BrokerInfo(3, "127.0.0.1", 3)],
            new Dictionary<string, TopicState> { ["t"] = new("t", _topicId, new Dictionary<string, string>(), partitions) });

    private Dictionary<int, IReadOnlyCollection<TopicPartition>> Sessions(IActorRef manager)
    {
        manager.Tell(ReplicaManager.GetSessions.Instance);
        var sessions = ExpectMsg<ReplicaManager.Sessions>();
        var result = new Dictionary<int, IReadOnlyCollection<TopicPartition>>();
        foreach (var (leader, fetcher) in sessions.FetcherByLeader)
        {
            fetcher.Tell(ReplicaFetcher.GetState.Instance);
            result[leader] = ExpectMsg<ReplicaFetcher.State>().LogEndOffsets.Keys.ToList();
        }
        return result;
    }

    [Fact]
    public void Follows_each_replica_led_elsewhere_in_one_session_per_leader_and_lets_go_when_it_leads()
    {
        _view.TryUpdate(Snapshot(1,
            new PartitionState(0, [1, 3], 1, 0, [1, 3]),
            new PartitionState(1, [1, 3], 1, 0, [1, 3]),
            new PartitionState(2, [2, 3], 2, 0, [2, 3]),
            new PartitionState(3, [3, 1], 3, 0, [3, 1]),   // led here
            new PartitionState(4, [1, 2], 1, 0, [1, 2]))); // no replica here
        var manager = Sys.ActorOf(ReplicaManager.Props(3, _view, _logs, ReplicationSettings.Default));
        var sessions = Sessions(manager);
        Assert.Equal([1, 2], sessions.Keys.Order());
        Assert.Equal([new TopicPartition("t", 0), new TopicPartition("t", 1)], sessions[1].OrderBy(p => p.Partition));
        Assert.Equal([new TopicPartition("t", 2)], sessions[2]);
        // The follower holds the log: a leader entity of the same epoch here could not take it.
        Assert.Throws<Records.Errors.AkkaStreamException>(() => _logs.Acquire(new TopicPartition("t", 0), _topicId, new Dictionary<string, string>(), 0));

        // Broker 3 now leads partition 0 (epoch 1), partition 2 is offline: their followers stop; broker 2's session goes.
        Sys.EventStream.Publish(Snapshot(2,
            new PartitionState(0, [1, 3], 3, 1, [3]),
            new PartitionState(1, [1, 3], 1, 0, [1, 3]),
            new PartitionState(2, [2, 3], -1, 1, [2]),
            new PartitionState(3, [3, 1], 3, 0, [3, 1]),
            new PartitionState(4, [1, 2], 1, 0, [1, 2])));
        AwaitAssert(() => Assert.Equal([1], Sessions(manager).Keys));
        Assert.Equal([new TopicPartition("t", 1)], Sessions(manager)[1]);
        // An older snapshot changes nothing.
        Sys.EventStream.Publish(Snapshot(1, new PartitionState(0, [1, 3], 1, 0, [1, 3])));
        Assert.Equal([new TopicPartition("t", 1)], Sessions(manager)[1]);
    }

    [Fact]
    public void A_partition_whose_log_a_fetcher_could_not_take_is_followed_again_once_it_can()
    {
        var partition = new TopicPartition("t", 0);
        // Something here holds the log for a newer epoch than the metadata's (as a leader entity
        // of an epoch this broker has not heard of yet would): the follower cannot take it.
        var held = _logs.Acquire(partition, _topicId, new Dictionary<string, string>(), 5);
        _view.TryUpdate(Snapshot(1, new PartitionState(0, [1, 3], 1, 0, [1, 3])));
        var manager = Sys.ActorOf(ReplicaManager.Props(3, _view, _logs, ReplicationSettings.Default));
        AwaitAssert(() => Assert.Equal([1], Sessions(manager).Keys));
        Assert.Empty(Sessions(manager)[1]);

        // Let go with no new metadata: the manager tries again and the follower takes the log.
        _logs.Release(held);
        AwaitAssert(() => Assert.Equal([partition], Sessions(manager)[1]), TimeSpan.FromSeconds(10));
        Assert.Throws<Records.Errors.AkkaStreamException>(() => _logs.Acquire(partition, _topicId, new Dictionary<string, string>(), 0));
    }
}
