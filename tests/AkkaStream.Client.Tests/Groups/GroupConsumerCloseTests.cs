using Akka.Actor;
using AkkaStream.Client.Consumer;
using AkkaStream.Client.Groups;
using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Groups;

/// <summary>
/// A group consumer that closes while commits still wait, against a scripted coordinator (broker
/// 2's gateway probe): every waiting commit is answered at once, with the retriable error of what it
/// waited for and a message saying the consumer closed, rather than left to the application's own
/// timeout. The request timeout is long (a minute), so that no commit gives up by itself meanwhile.
/// </summary>
public sealed class GroupConsumerCloseTests : FakeCluster
{
    private const string GroupConfig = """
        akkastream.client {
          request-timeout = 60s
          consumer {
            partition-assignment-strategy = ["range"]
            session-timeout = 3s
            heartbeat-interval = 200ms
            max-poll-interval = 20s
            enable-auto-commit = off
            auto-offset-reset = earliest
          }
        }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TopicPartition Mine = new("orders", 0);
    private volatile bool _coordinatorFound = true;

    public GroupConsumerCloseTests()
        : base(GroupConfig)
    {
        AnswerByItself = message => message switch
        {
            HeartbeatRequest => new HeartbeatResponse(ErrorCode.None, null),
            FindCoordinatorRequest r => _coordinatorFound
                ? new FindCoordinatorResponse(r.GroupId, ErrorCode.None, null, 2)
                : new FindCoordinatorResponse(r.GroupId, ErrorCode.CoordinatorNotAvailable, "the coordinator is loading", -1),
            _ => null,
        };
        foreach (var probe in new[] { Broker1, Broker2 })
        {
            probe.IgnoreMessages(m => m is MetadataRequest or InitProducerIdRequest or HeartbeatRequest or FindCoordinatorRequest
                or FetchRequest or ListOffsetsRequest);
        }
    }

    /// <summary>A consumer that leads generation 1 alone and owns orders-0.</summary>
    private async Task<AkkaStreamGroupConsumer> JoinedAsync()
    {
        var consumer = Client.CreateGroupConsumer("g1");
        consumer.Subscribe(["orders"]);
        var join = Broker2.ExpectMsg<JoinGroupRequest>(Wait);
        Broker2.Reply(new JoinGroupResponse(ErrorCode.None, null, 1, "consumer", "range", "m-1", "m-1",
            [new JoinGroupMember("m-1", null, join.Protocols[0].Metadata)]));
        Broker2.ExpectMsg<SyncGroupRequest>(Wait);
        Broker2.Reply(new SyncGroupResponse(ErrorCode.None, null, "consumer", "range", new ConsumerProtocolAssignment([Mine]).Encode()));
        Broker2.ExpectMsg<OffsetFetchRequest>(Wait);
        Broker2.Reply(new OffsetFetchResponse(ErrorCode.None, null, [new CommittedOffset("orders", 0, 7, -1, null, 0, ErrorCode.None)]));
        Assert.IsType<PartitionsAssigned>(await consumer.Actor.Ask<object>(new Poll(Wait), Wait + Wait));
        return consumer;
    }

    private static Task<IReadOnlyDictionary<TopicPartition, long>> Commit(AkkaStreamGroupConsumer consumer) =>
        consumer.CommitAsync(new Dictionary<TopicPartition, long> { [Mine] = 19 });

    /// <summary>The commit fails promptly (well before its own ask would time out) with <paramref name="error"/>, saying the consumer closed.</summary>
    private static async Task FailsBecauseClosed(Task commit, ErrorCode error)
    {
        var failure = await Assert.ThrowsAsync<AkkaStreamException>(() => commit.WaitAsync(Wait));
        Assert.Equal(error, failure.Code);
        Assert.Contains("the consumer closed", failure.Message);
    }

    [Fact]
    public async Task A_commit_waiting_for_the_coordinator_to_be_found_fails_with_CoordinatorNotAvailable_when_the_consumer_closes()
    {
        var consumer = await JoinedAsync();
        _coordinatorFound = false;
        var commit = Commit(consumer);
        Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.NotCoordinator, null, []));
        // The member looks for the coordinator again and again; the commit waits for it.
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.False(commit.IsCompleted);

        await consumer.DisposeAsync().AsTask().WaitAsync(Wait);
        await FailsBecauseClosed(commit, ErrorCode.CoordinatorNotAvailable);
    }

    [Fact]
    public async Task A_commit_deferred_by_a_rebalance_fails_with_RebalanceInProgress_when_the_consumer_closes()
    {
        var consumer = await JoinedAsync();
        var commit = Commit(consumer);
        Broker2.ExpectMsg<OffsetCommitRequest>(Wait);
        Broker2.Reply(new OffsetCommitResponse(ErrorCode.RebalanceInProgress, null, []));
        Broker2.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.False(commit.IsCompleted);

        var closing = consumer.DisposeAsync().AsTask();
        Broker2.ExpectMsg<LeaveGroupRequest>(Wait);
        Broker2.Reply(new LeaveGroupResponse(ErrorCode.None, null, [new LeftMember("m-1", null, ErrorCode.None)]));
        await closing.WaitAsync(Wait);
        await FailsBecauseClosed(commit, ErrorCode.RebalanceInProgress);
    }

    [Fact]
    public async Task A_commit_the_coordinator_has_not_answered_fails_with_RequestTimedOut_when_the_consumer_closes_first()
    {
        var consumer = await JoinedAsync();
        var commit = Commit(consumer);
        Broker2.ExpectMsg<OffsetCommitRequest>(Wait);

        var closing = consumer.DisposeAsync().AsTask();
        Broker2.ExpectMsg<LeaveGroupRequest>(Wait);
        Broker2.Reply(new LeaveGroupResponse(ErrorCode.None, null, [new LeftMember("m-1", null, ErrorCode.None)]));
        await closing.WaitAsync(Wait);
        await FailsBecauseClosed(commit, ErrorCode.RequestTimedOut);
    }
}
