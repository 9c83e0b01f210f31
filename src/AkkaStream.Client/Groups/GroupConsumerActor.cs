using Akka.Actor;
using Akka.Event;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Consumer;
using AkkaStream.Client.Groups.Assignors;
using AkkaStream.Client.Internal;
using AkkaStream.Client.Metadata;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

/// <summary>
/// A member of a consumer group (Kafka's KafkaConsumer with subscribe). Owns the membership (the
/// coordinator, member id, generation and the partitions the group assigned), the consumed
/// positions that commits use, and a child <see cref="ConsumerActor"/> that fetches the assigned
/// partitions, each from its committed offset (or per auto-offset-reset when none is committed).
/// <para>
/// This file holds what the application sees: poll, rebalance events, close. The membership
/// protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat) is in GroupConsumerActor.Membership.cs,
/// commits and committed-offset look-ups in GroupConsumerActor.Offsets.cs.
/// </para>
/// <para>
/// Rebalance events are replies to Poll, and a <see cref="PartitionsRevoked"/> holds the rebalance
/// until the application polls again: its work on those partitions is finished and committed by
/// then (with enable-auto-commit the actor commits the consumed positions at that point), and only
/// then may another member get them. That keeps a group at-least-once without duplicates from
/// members that handed partitions over cleanly.
/// </para>
/// </summary>
public sealed partial class GroupConsumerActor : ReceiveActor, IWithTimers
{
    private sealed record FetcherPolled(int Round, object Answer);

    private sealed record ParkedPoll(IActorRef ReplyTo, int MaxRecords, DateTime Deadline);

    private readonly ClientSettings _settings;
    private readonly GroupSettings _group;
    private readonly string _groupId;
    private readonly IActorRef _metadata;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _fetcher;
    private readonly ConsumedRecords _records = new();
    private readonly Queue<IRebalanceEvent> _events = new();
    private ClusterSnapshot? _snapshot;
    private ParkedPoll? _parked;
    private bool _fetcherPolling;
    private AkkaStreamException? _failure;
    private DateTime _lastPoll = DateTime.UtcNow;
    private IActorRef? _closeReplyTo;

    public GroupConsumerActor(ClientSettings settings, IActorRef metadata, string groupId)
    {
        _settings = settings;
        _group = settings.Consumer.Group;
        _groupId = groupId;
        _metadata = metadata;
        _requests = new GatewayRequests(Context.System, metadata, settings);
        _gateways = new GatewayRefs(Context.System);
        _assignors = _group.PartitionAssignmentStrategy.Select(PartitionAssignors.ByName).ToList();
        _protocol = PartitionAssignors.CommonProtocol(_assignors);
        _fetcher = Context.ActorOf(ConsumerActor.Props(settings, metadata), "fetcher");

        Receive<ClusterSnapshot>(OnSnapshot);
        Receive<SubscribeTopics>(m => OnSubscribe(() => GroupSubscription.Of(m.Topics)));
        Receive<SubscribePattern>(m => OnSubscribe(() => GroupSubscription.Matching(m.Pattern)));
        Receive<Poll>(OnPoll);
        Receive<CancelPoll>(_ => ReleaseParkedPoll());
        Receive<FetcherPolled>(OnFetcherPolled);
        Receive<CommitOffsets>(m => Commit(m.Offsets ?? Copy(_records.Consumed), CommitPurpose.Application, Sender));
        Receive<GetMembership>(_ => Sender.Tell(new GroupMembership(_groupId, _memberId, _generation, _leaderId == _memberId && _memberId.Length > 0,
            _protocolName, _owned.ToList())));
        Receive<CloseGroupConsumer>(_ => OnClose());
        ReceiveMembership();
        ReceiveOffsets();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A member of <paramref name="groupId"/> with the consumer settings of <paramref name="settings"/>.</summary>
    public static Props Props(ClientSettings settings, IActorRef metadata, string groupId)
    {
        if (string.IsNullOrWhiteSpace(groupId))
        {
            throw new AkkaStreamException(ErrorCode.InvalidGroupId, "a group consumer needs a group id (akkastream.client.consumer.group-id)");
        }
        settings.Consumer.Group.Validate();
        foreach (var name in settings.Consumer.Group.PartitionAssignmentStrategy)
        {
            PartitionAssignors.ByName(name);
        }
        return Akka.Actor.Props.Create(() => new GroupConsumerActor(settings, metadata, groupId));
    }

    protected override void PreStart()
    {
        _metadata.Tell(new MetadataActor.Subscribe(Self));
        Timers.StartPeriodicTimer("tick", Tick.Instance, _group.HeartbeatInterval);
        if (_group.EnableAutoCommit)
        {
            Timers.StartPeriodicTimer("auto-commit", AutoCommitDue.Instance, _group.AutoCommitInterval);
        }
    }

    protected override void PostStop()
    {
        FailWaitingCommits();
        _metadata.Tell(new MetadataActor.Unsubscribe(Self));
    }

    private void OnSubscribe(Func<GroupSubscription> subscribe)
    {
        try
        {
            _subscription = subscribe();
        }
        catch (AkkaStreamException e)
        {
            Sender.Tell(new Status.Failure(e));
            return;
        }
        _lastPoll = DateTime.UtcNow;
        _needsJoin = true;
        Proceed();
    }

    private void OnSnapshot(ClusterSnapshot snapshot)
    {
        _snapshot = snapshot;
        if (_generation >= 0 && !_needsJoin && SubscriptionChanged())
        {
            _log.Info("group {0}: the subscribed topics or their partitions changed; rejoining", _groupId);
            _needsJoin = true;
            Proceed();
        }
    }

    private void OnPoll(Poll poll)
    {
        if (_closeReplyTo is not null)
        {
            Sender.Tell(PollResult.Empty);
            return;
        }
        _lastPoll = DateTime.UtcNow;
        _committable = Copy(_records.Consumed);
        if (_pollTimedOut)
        {
            _pollTimedOut = false;
            _needsJoin = true;
        }
        if (_revokeDelivered)
        {
            // The application has handled the revocation: hand the partitions over.
            _revokeDelivered = false;
            FinishRevoke();
        }
        Proceed();
        _parked?.ReplyTo.Tell(PollResult.Empty);
        _parked = new ParkedPoll(Sender, Math.Min(poll.MaxRecords, _settings.Consumer.MaxPollRecords), DateTime.UtcNow + poll.Timeout);
        AnswerParked();
    }

    /// <summary>Answers the waiting poll with a failure, an event or records when there is one, or asks the fetcher for more.</summary>
    private void AnswerParked()
    {
        if (_parked is null)
        {
            return;
        }
        var replyTo = _parked.ReplyTo;
        if (_failure is not null)
        {
            replyTo.Tell(new Status.Failure(_failure));
            _failure = null;
        }
        else if (_events.Count > 0)
        {
            var next = _events.Dequeue();
            _revokeDelivered = next is PartitionsRevoked;
            replyTo.Tell(next);
        }
        else if (_records.HasPending)
        {
            replyTo.Tell(new PollResult(_records.Take(_parked.MaxRecords)));
        }
        else if (DateTime.UtcNow >= _parked.Deadline)
        {
            replyTo.Tell(PollResult.Empty);
        }
        else
        {
            PollFetcher(_parked.Deadline - DateTime.UtcNow, _parked.MaxRecords);
            return;
        }
        _parked = null;
    }

    private void PollFetcher(TimeSpan timeout, int maxRecords)
    {
        if (_fetcherPolling)
        {
            return;
        }
        _fetcherPolling = true;
        var round = _records.Round;
        _fetcher.Ask<object>(new Poll(timeout, maxRecords), timeout + _settings.RequestTimeout)
            .PipeTo(Self, success: a => new FetcherPolled(round, a), failure: e => new FetcherPolled(round, e));
    }

    private void OnFetcherPolled(FetcherPolled polled)
    {
        _fetcherPolling = false;
        switch (polled.Answer)
        {
            case PollResult result:
                foreach (var (tp, offset) in _records.Accept(result.Records, polled.Round))
                {
                    // The fetcher handed out records this assignment does not take: move it back.
                    _fetcher.Tell(offset is { } next ? new Seek(tp, next)
                        : _settings.Consumer.AutoOffsetReset == AutoOffsetReset.Earliest ? new SeekToBeginning([tp]) : new SeekToEnd([tp]));
                }
                break;
            case AkkaStreamException e:
                _failure = e;
                break;
            case Exception e:
                _log.Warning("group {0}: the fetcher did not answer a poll: {1}", _groupId, e.Message);
                break;
        }
        AnswerParked();
    }

    private void Enqueue(IRebalanceEvent rebalanceEvent)
    {
        _events.Enqueue(rebalanceEvent);
        AnswerParked();
    }

    private void ReportFailure(AkkaStreamException failure)
    {
        _log.Warning("group {0}: {1}", _groupId, failure.Message);
        _failure = failure;
        AnswerParked();
    }

    /// <summary>Fetches exactly the active partitions; newly active ones start at <paramref name="startOffsets"/> when given.</summary>
    private void UpdateFetcher(IReadOnlyDictionary<TopicPartition, long>? startOffsets = null) =>
        _fetcher.Tell(new Assign(_records.ActivePartitions.ToList(), startOffsets));

    private void OnClose()
    {
        if (_closeReplyTo is not null)
        {
            return;
        }
        _closeReplyTo = Sender;
        ReleaseParkedPoll();
        if (_group.EnableAutoCommit && _generation >= 0)
        {
            Commit(Copy(_records.Consumed), CommitPurpose.BeforeClose, null);
        }
        else
        {
            LeaveAndStop();
        }
    }

    /// <summary>Answers the waiting poll, if any, with nothing.</summary>
    private void ReleaseParkedPoll()
    {
        _parked?.ReplyTo.Tell(PollResult.Empty);
        _parked = null;
    }

    private static Dictionary<TopicPartition, long> Copy(IReadOnlyDictionary<TopicPartition, long> offsets) => new(offsets);
}
