using Akka.Event;
using Akka.Actor;
using AkkaStream.Client.Groups.Assignors;
using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Client.Internal;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

// Membership: finding the coordinator, joining (with the member-id-required round trip), the
// leader's assignment, syncing, heartbeats, revocation, fencing and leaving. One membership request
// (find, join or sync) is out at a time; its answer carries the attempt it answers, so that answers
// to requests given up on are dropped.
public sealed partial class GroupConsumerActor
{
    private sealed record CoordinatorFound(int Attempt, object Answer);

    private sealed record JoinAnswered(int Attempt, object Answer);

    private sealed record SyncAnswered(int Attempt, object Answer);

    private sealed record HeartbeatAnswered(int Generation, object Answer);

    private sealed record LeaveAnswered(object Answer);

    private sealed record RetryMembership
    {
        public static readonly RetryMembership Instance = new();
    }

    /// <summary>Every heartbeat interval: send a heartbeat, check the poll interval.</summary>
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private enum Step
    {
        None,
        FindingCoordinator,
        Joining,
        Syncing,
    }

    /// <summary>Partitions being handed over; the rebalance waits until the application has seen them go.</summary>
    private sealed record Revocation(IReadOnlyList<TopicPartition> Partitions);

    private readonly GatewayRequests _requests;
    private readonly GatewayRefs _gateways;
    private readonly IReadOnlyList<IPartitionAssignor> _assignors;
    private readonly RebalanceProtocol _protocol;
    private readonly SortedSet<TopicPartition> _owned = [];
    private GroupSubscription? _subscription;
    private IReadOnlyList<string> _joinedTopics = [];
    private Dictionary<string, int> _joinedCounts = [];
    private IActorRef? _coordinator;
    private string _memberId = "";
    private int _generation = -1;
    private string _leaderId = "";
    private string? _protocolName;
    private Step _step;
    private int _attempt;
    private int _failures;
    private bool _retryScheduled;
    private bool _needsJoin;
    private bool _heartbeatInFlight;
    private bool _pollTimedOut;
    private bool _fenced;
    private Revocation? _revoking;
    private bool _revokeDelivered;

    private string? InstanceId => _group.GroupInstanceId;

    /// <summary>The client id the member joins with: the configured one, else Kafka's consumer-&lt;group&gt;.</summary>
    private string ClientId => _settings.ClientId.Length > 0 ? _settings.ClientId : $"consumer-{_groupId}";

    /// <summary>The host the member joins from: its ActorSystem's remote address (empty without remoting).</summary>
    private string ClientHost => ClientHosts.Of(((ExtendedActorSystem)Context.System).Provider.DefaultAddress.Host);

    private void ReceiveMembership()
    {
        Receive<CoordinatorFound>(OnCoordinatorFound);
        Receive<JoinAnswered>(OnJoinAnswered);
        Receive<SyncAnswered>(OnSyncAnswered);
        Receive<HeartbeatAnswered>(OnHeartbeatAnswered);
        Receive<LeaveAnswered>(_ => StopClosed());
        Receive<RetryMembership>(_ =>
        {
            _retryScheduled = false;
            Proceed();
        });
        Receive<Tick>(_ => OnTick());
    }

    /// <summary>Takes the next membership step when nothing else is under way.</summary>
    private void Proceed()
    {
        if (_subscription is null || _closeReplyTo is not null || _fenced || _step != Step.None || _retryScheduled || _pollTimedOut)
        {
            return;
        }
        if (_coordinator is null)
        {
            FindCoordinator();
            return;
        }
        FetchCommittedOffsets();
        if (_revoking is not null || (!_needsJoin && _generation >= 0))
        {
            return;
        }
        if (_protocol == RebalanceProtocol.Eager && _owned.Count > 0)
        {
            // Eager: everything owned is revoked before joining.
            Revoke(_owned.ToList());
            return;
        }
        SendJoin();
    }

    private void RetryLater(ErrorCode error, string? message)
    {
        _failures++;
        var backoff = _settings.BackoffFor(_failures);
        _log.Info("group {0}: {1} ({2}); retrying in {3}", _groupId, error, message, backoff);
        _retryScheduled = true;
        Timers.StartSingleTimer("retry", RetryMembership.Instance, backoff);
    }

    private static bool IsCoordinatorError(ErrorCode error) => error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable
        or ErrorCode.CoordinatorLoadInProgress or ErrorCode.RequestTimedOut or ErrorCode.NetworkException or ErrorCode.BrokerNotAvailable;

    private void AskCoordinator(object request, TimeSpan timeout, Func<object, object> wrap) =>
        _coordinator!.Ask<object>(request, timeout).PipeTo(Self, success: a => wrap(a), failure: e => wrap(e));

    private (ErrorCode Error, string? Message) ErrorOf(object answer) => ReplyErrors.Of(answer, _settings.RequestTimeout);

    private void FindCoordinator()
    {
        _step = Step.FindingCoordinator;
        var attempt = ++_attempt;
        _requests.AskAnyAsync<FindCoordinatorResponse>(new FindCoordinatorRequest(_groupId))
            .PipeTo(Self, success: r => new CoordinatorFound(attempt, r), failure: e => new CoordinatorFound(attempt, e));
    }

    private void OnCoordinatorFound(CoordinatorFound found)
    {
        if (found.Attempt != _attempt)
        {
            return;
        }
        _step = Step.None;
        var (error, message) = ErrorOf(found.Answer);
        if (error != ErrorCode.None || found.Answer is not FindCoordinatorResponse response)
        {
            RetryLater(error, message);
            return;
        }
        // Any broker's gateway serves the group (forwarding through the shard region); the
        // coordinator's own saves that hop. A broker the metadata does not know yet is reached
        // through the first one it does.
        var gateway = _snapshot?.Brokers.FirstOrDefault(b => b.BrokerId == response.BrokerId)?.GatewayPath
            ?? _snapshot?.Brokers.FirstOrDefault()?.GatewayPath
            ?? _settings.BootstrapGatewayPaths()[0];
        _coordinator = _gateways.For(gateway);
        _failures = 0;
        ResendCommitsAwaitingCoordinator();
        Proceed();
    }

    private void SendJoin()
    {
        _step = Step.Joining;
        _needsJoin = false;
        var attempt = ++_attempt;
        _joinedTopics = _subscription!.Topics(_snapshot);
        _joinedCounts = GroupSubscription.PartitionCounts(_joinedTopics, _snapshot);
        IReadOnlyList<TopicPartition> owned = _protocol == RebalanceProtocol.Cooperative ? _owned.ToList() : [];
        var metadata = new ConsumerProtocolSubscription(_joinedTopics, null, owned, _generation).Encode();
        var request = new JoinGroupRequest(_groupId, _memberId, InstanceId, ConsumerProtocol.ProtocolType,
            _assignors.Select(a => new GroupProtocol(a.Name, metadata)).ToList(),
            (int)_group.SessionTimeout.TotalMilliseconds, (int)_group.MaxPollInterval.TotalMilliseconds, RequireKnownMemberId: true,
            ClientId: ClientId, ClientHost: ClientHost);
        // The coordinator answers once every member has rejoined, or after the rebalance timeout.
        AskCoordinator(request, _group.MaxPollInterval + _settings.RequestTimeout, a => new JoinAnswered(attempt, a));
    }

    private void OnJoinAnswered(JoinAnswered answered)
    {
        if (answered.Attempt != _attempt)
        {
            return;
        }
        _step = Step.None;
        var (error, message) = ErrorOf(answered.Answer);
        var response = answered.Answer as JoinGroupResponse;
        if (error == ErrorCode.None && response is not null)
        {
            _memberId = response.MemberId;
            _generation = response.GenerationId;
            _leaderId = response.Leader;
            _protocolName = response.ProtocolName;
            _failures = 0;
            SendSync(response);
            return;
        }
        switch (error)
        {
            case ErrorCode.MemberIdRequired when response is not null:
                _memberId = response.MemberId;
                _needsJoin = true;
                Proceed();
                return;
            case ErrorCode.RebalanceInProgress:
                _needsJoin = true;
                RetryLater(error, message);
                return;
        }
        StepFailed("joining", error, message);
    }

    private void SendSync(JoinGroupResponse joined)
    {
        IReadOnlyList<GroupAssignment> assignments = [];
        if (joined.Leader == joined.MemberId)
        {
            var assignor = _assignors.FirstOrDefault(a => a.Name == joined.ProtocolName);
            if (assignor is null)
            {
                ReportFailure(new AkkaStreamException(ErrorCode.InconsistentGroupProtocol, $"group {_groupId} chose assignor '{joined.ProtocolName}', which this consumer does not have"));
                _needsJoin = true;
                RetryLater(ErrorCode.InconsistentGroupProtocol, joined.ProtocolName);
                return;
            }
            assignments = LeaderAssignment.Compute(assignor, joined.Members, _snapshot, _log);
        }
        _step = Step.Syncing;
        var attempt = ++_attempt;
        var request = new SyncGroupRequest(_groupId, _generation, _memberId, InstanceId, ConsumerProtocol.ProtocolType, _protocolName, assignments);
        AskCoordinator(request, _group.MaxPollInterval + _settings.RequestTimeout, a => new SyncAnswered(attempt, a));
    }

    private void OnSyncAnswered(SyncAnswered answered)
    {
        if (answered.Attempt != _attempt)
        {
            return;
        }
        _step = Step.None;
        var (error, message) = ErrorOf(answered.Answer);
        if (error == ErrorCode.None && answered.Answer is SyncGroupResponse response)
        {
            ConsumerProtocolAssignment assignment;
            try
            {
                assignment = ConsumerProtocolAssignment.Decode(response.Assignment);
            }
            catch (AkkaStreamException e)
            {
                ReportFailure(e);
                _needsJoin = true;
                RetryLater(e.Code, e.Message);
                return;
            }
            _failures = 0;
            ApplyAssignment(assignment.Partitions);
            return;
        }
        switch (error)
        {
            case ErrorCode.RebalanceInProgress:
                _needsJoin = true;
                Proceed();
                return;
        }
        StepFailed("syncing", error, message);
    }

    /// <summary>
    /// What a join or a sync does with the errors both can get: fenced (lost partitions, join
    /// again), fatally fenced (a static member replaced), or anything else — find the coordinator
    /// again when it was a coordinator error, else report it — and try again later.
    /// </summary>
    private void StepFailed(string step, ErrorCode error, string? message)
    {
        switch (error)
        {
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                Fenced(error);
                return;
            case ErrorCode.FencedInstanceId:
                FatallyFenced(error, message);
                return;
        }
        _needsJoin = true;
        if (IsCoordinatorError(error))
        {
            _coordinator = null;
        }
        else
        {
            ReportFailure(new AkkaStreamException(error, $"group {_groupId}: {step} failed: {message ?? error.ToString()}"));
        }
        RetryLater(error, message);
    }

    /// <summary>
    /// Takes the generation's assignment: partitions no longer assigned are revoked (only with
    /// cooperative rebalancing does a member still own any now), new ones start from their
    /// committed offsets.
    /// </summary>
    private void ApplyAssignment(IReadOnlyList<TopicPartition> assigned)
    {
        var assignedSet = assigned.ToHashSet();
        var revoked = _owned.Where(tp => !assignedSet.Contains(tp)).ToList();
        var added = assigned.Where(tp => !_owned.Contains(tp)).Distinct().Order().ToList();
        _log.Info("group {0}: generation {1}, member {2}: assigned {3} new, revoked {4}", _groupId, _generation, _memberId, added.Count, revoked.Count);
        if (revoked.Count > 0)
        {
            Revoke(revoked);
        }
        _owned.UnionWith(added);
        _starting.UnionWith(added);
        ResendDeferredCommits();
        Enqueue(new PartitionsAssigned(added, _generation));
        if (SubscriptionChanged())
        {
            _needsJoin = true;
        }
        Proceed();
    }

    /// <summary>Stops returning records of <paramref name="partitions"/> and tells the application, which hands them over at its next poll.</summary>
    private void Revoke(IReadOnlyList<TopicPartition> partitions)
    {
        _revoking = new Revocation(partitions);
        _records.Deactivate(partitions);
        _starting.ExceptWith(partitions);
        UpdateFetcher();
        Enqueue(new PartitionsRevoked(partitions, _generation));
    }

    /// <summary>The application has seen the revocation: commit (with auto-commit), then give the partitions up and rejoin.</summary>
    private void FinishRevoke()
    {
        if (_revoking is null)
        {
            return;
        }
        if (_group.EnableAutoCommit && _generation >= 0)
        {
            Commit(Copy(_records.Consumed), CommitPurpose.BeforeRevoke, null);
        }
        else
        {
            CompleteRevoke();
        }
    }

    private void CompleteRevoke()
    {
        if (_revoking is null)
        {
            return;
        }
        _owned.ExceptWith(_revoking.Partitions);
        _records.Forget(_revoking.Partitions);
        _revoking = null;
        // Eager: the join this revocation prepared. Cooperative: the follow-up rebalance that lets
        // the partitions' new members have them.
        _needsJoin = true;
        Proceed();
    }

    /// <summary>
    /// The coordinator no longer knows this member's generation (it expired, or the group moved on
    /// without it): its partitions may be someone else's already, so they are lost, not revoked, and
    /// nothing is committed for them. The member rejoins.
    /// </summary>
    private void Fenced(ErrorCode error)
    {
        _log.Warning("group {0}: member {1} of generation {2} was fenced ({3}); its partitions are lost", _groupId, _memberId, _generation, error);
        var lost = _owned.ToList();
        _owned.Clear();
        _revoking = null;
        _revokeDelivered = false;
        var pending = _events.Where(e => e is not PartitionsRevoked).ToList();
        _events.Clear();
        pending.ForEach(_events.Enqueue);
        _records.Deactivate(lost);
        _records.Forget(lost);
        _starting.Clear();
        UpdateFetcher();
        if (lost.Count > 0)
        {
            Enqueue(new PartitionsLost(lost, _generation));
        }
        if (error == ErrorCode.UnknownMemberId)
        {
            _memberId = "";
        }
        _generation = -1;
        _needsJoin = true;
        Proceed();
    }

    /// <summary>Another consumer took this static member's instance id: this one stops taking part.</summary>
    private void FatallyFenced(ErrorCode error, string? message)
    {
        Fenced(error);
        _fenced = true;
        ReportFailure(new AkkaStreamException(error, $"group {_groupId}: instance {InstanceId} was fenced by another consumer with the same group-instance-id: {message}"));
    }

    private bool SubscriptionChanged()
    {
        if (_subscription is null)
        {
            return false;
        }
        var topics = _subscription.Topics(_snapshot);
        if (!topics.SequenceEqual(_joinedTopics))
        {
            return true;
        }
        var counts = GroupSubscription.PartitionCounts(topics, _snapshot);
        return counts.Count != _joinedCounts.Count || counts.Any(kv => _joinedCounts.GetValueOrDefault(kv.Key) != kv.Value);
    }

    private void OnTick()
    {
        CheckPollInterval();
        ExpireDeferredCommits();
        if (_generation < 0 || _memberId.Length == 0 || _step != Step.None || _heartbeatInFlight || _coordinator is null || _closeReplyTo is not null)
        {
            return;
        }
        _heartbeatInFlight = true;
        var generation = _generation;
        AskCoordinator(new HeartbeatRequest(_groupId, generation, _memberId, InstanceId), _group.SessionTimeout, a => new HeartbeatAnswered(generation, a));
    }

    private void OnHeartbeatAnswered(HeartbeatAnswered answered)
    {
        _heartbeatInFlight = false;
        if (answered.Generation != _generation || _step != Step.None)
        {
            return;
        }
        var (error, message) = ErrorOf(answered.Answer);
        switch (error)
        {
            case ErrorCode.None:
                return;
            case ErrorCode.RebalanceInProgress:
                if (!_needsJoin)
                {
                    _log.Info("group {0}: the group is rebalancing; rejoining", _groupId);
                }
                _needsJoin = true;
                Proceed();
                return;
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                Fenced(error);
                return;
            case ErrorCode.FencedInstanceId:
                FatallyFenced(error, message);
                return;
        }
        if (IsCoordinatorError(error))
        {
            // Find the coordinator again; the membership stays until the coordinator says otherwise.
            _coordinator = null;
            Proceed();
        }
        else
        {
            _log.Warning("group {0}: heartbeat failed: {1} {2}", _groupId, error, message);
        }
    }

    /// <summary>
    /// A member whose application has not polled for max-poll-interval leaves the group (Kafka's
    /// poll timeout), so that its partitions go to members that make progress; it rejoins at its next poll.
    /// </summary>
    private void CheckPollInterval()
    {
        if (_generation < 0 || _pollTimedOut || _parked is not null || _closeReplyTo is not null || DateTime.UtcNow - _lastPoll <= _group.MaxPollInterval)
        {
            return;
        }
        _log.Warning("group {0}: no poll for longer than max-poll-interval ({1}); leaving the group until the next poll", _groupId, _group.MaxPollInterval);
        SendLeave(replyTo: false);
        _pollTimedOut = true;
        Fenced(ErrorCode.UnknownMemberId);
    }

    /// <summary>Leaves the group (a dynamic member only: a static one keeps its place for its session).</summary>
    private bool SendLeave(bool replyTo)
    {
        if (InstanceId is not null || _memberId.Length == 0 || _coordinator is null)
        {
            return false;
        }
        var request = new LeaveGroupRequest(_groupId, new[] { new LeavingMember(_memberId, InstanceId) });
        var leaving = _coordinator.Ask<object>(request, _settings.RequestTimeout);
        if (replyTo)
        {
            leaving.PipeTo(Self, success: a => new LeaveAnswered(a), failure: e => new LeaveAnswered(e));
        }
        return true;
    }

    private void LeaveAndStop()
    {
        if (!SendLeave(replyTo: true))
        {
            StopClosed();
        }
    }

    private void StopClosed()
    {
        _closeReplyTo?.Tell(GroupConsumerClosed.Instance);
        Context.Stop(Self);
    }
}
