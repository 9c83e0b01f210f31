using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Groups;

/// <summary>An answer the coordinator has decided on: <see cref="Message"/> goes to <see cref="To"/> (an opaque reply handle).</summary>
public sealed record GroupReply(object To, object Message);

/// <summary>What the owner of a coordinator must do after a step: persist <see cref="Events"/>, then send <see cref="Replies"/>.</summary>
public sealed record GroupEffects(IReadOnlyList<IGroupEvent> Events, IReadOnlyList<GroupReply> Replies)
{
    public bool IsEmpty => Events.Count == 0 && Replies.Count == 0;
}

/// <summary>
/// One group's coordinator, as Kafka's GroupCoordinator for one group: the membership protocol
/// (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, session and rebalance timeouts, static members),
/// the committed offsets and their retention (<c>GroupCoordinator.Offsets.cs</c>), and recovery
/// from its events (<c>GroupCoordinator.Recovery.cs</c>). Plain C#: time comes from the clock it is
/// given, timeouts fire when its owner calls <see cref="Tick"/> (at <see cref="NextDeadlineMs"/>),
/// and each step leaves effects (events to persist, then replies) that the owner takes with
/// <see cref="Drain"/>. Not thread-safe: one entity owns it.
/// </summary>
public sealed partial class GroupCoordinator
{
    private readonly GroupSettings _settings;
    private readonly Func<long> _clock;
    private readonly List<IGroupEvent> _events = [];
    private readonly List<GroupReply> _replies = [];

    /// <summary>When the current rebalance's join phase ends whatever happens; null when none is under way.</summary>
    private long? _joinDeadlineMs;

    /// <summary>The join is Kafka's InitialDelayedJoin (the first of an empty group): it never completes early.</summary>
    private bool _initialJoin;

    private long _initialJoinRemainingMs;

    /// <param name="clock">Milliseconds since the Unix epoch.</param>
    public GroupCoordinator(string groupId, GroupSettings settings, Func<long> clock)
    {
        GroupId = groupId;
        _settings = settings;
        _clock = clock;
    }

    public string GroupId { get; }

    public GroupMembership Group { get; } = new();

    public GroupOffsets Offsets { get; } = new();

    private long Now => _clock();

    /// <summary>Takes the effects of the steps since the last call.</summary>
    public GroupEffects Drain()
    {
        var effects = new GroupEffects(_events.ToArray(), _replies.ToArray());
        _events.Clear();
        _replies.Clear();
        return effects;
    }

    public void Join(JoinGroupRequest r, object replyTo)
    {
        if (r.GroupId.Length == 0)
        {
            Reply(replyTo, GroupReplies.JoinFailed(r.MemberId, ErrorCode.InvalidGroupId, "the group id must not be empty"));
            return;
        }
        if (r.SessionTimeoutMs < _settings.MinSessionTimeout.TotalMilliseconds || r.SessionTimeoutMs > _settings.MaxSessionTimeout.TotalMilliseconds)
        {
            Reply(replyTo, GroupReplies.JoinFailed(r.MemberId, ErrorCode.InvalidSessionTimeout,
                $"session timeout {r.SessionTimeoutMs} ms is outside [{_settings.MinSessionTimeout.TotalMilliseconds}, {_settings.MaxSessionTimeout.TotalMilliseconds}] ms"));
            return;
        }
        if (Group.Phase == GroupPhase.Dead)
        {
            if (r.MemberId.Length > 0)
            {
                Reply(replyTo, GroupReplies.JoinFailed(r.MemberId, ErrorCode.UnknownMemberId, $"group {GroupId} was deleted"));
                return;
            }
            Group.Clear(GroupPhase.Empty, Now); // a deleted group's id starts a new group
        }
        if (r.MemberId.Length == 0) JoinAsNewMember(r, replyTo);
        else JoinAsKnownMember(r, replyTo);
    }

    public void Sync(SyncGroupRequest r, object replyTo)
    {
        if (ValidateMember(r.GroupId, r.MemberId, r.GroupInstanceId, r.GenerationId) is { } refusal)
        {
            Reply(replyTo, GroupReplies.SyncFailed(refusal.Error, refusal.Message));
            return;
        }
        if ((r.ProtocolType is not null && r.ProtocolType != Group.ProtocolType) || (r.ProtocolName is not null && r.ProtocolName != Group.ProtocolName))
        {
            Reply(replyTo, GroupReplies.SyncFailed(ErrorCode.InconsistentGroupProtocol,
                $"the group uses {Group.ProtocolType}/{Group.ProtocolName}, not {r.ProtocolType}/{r.ProtocolName}"));
            return;
        }
        var member = Group.Get(r.MemberId);
        member.LastSeenMs = Now;
        switch (Group.Phase)
        {
            case GroupPhase.PreparingRebalance:
                Reply(replyTo, GroupReplies.SyncFailed(ErrorCode.RebalanceInProgress, "the group is rebalancing: join again"));
                break;
            case GroupPhase.Stable:
                Synced(member);
                Reply(replyTo, new SyncGroupResponse(ErrorCode.None, null, Group.ProtocolType, Group.ProtocolName, member.Assignment));
                break;
            case GroupPhase.CompletingRebalance:
                Synced(member);
                member.SyncWaiter = replyTo;
                if (r.MemberId == Group.Leader) CompleteAssignment(r.Assignments);
                break;
        }
    }

    public void Heartbeat(HeartbeatRequest r, object replyTo)
    {
        if (ValidateMember(r.GroupId, r.MemberId, r.GroupInstanceId, r.GenerationId) is { } refusal)
        {
            Reply(replyTo, new HeartbeatResponse(refusal.Error, refusal.Message));
            return;
        }
        Group.Get(r.MemberId).LastSeenMs = Now;
        Reply(replyTo, Group.Phase == GroupPhase.PreparingRebalance
            ? new HeartbeatResponse(ErrorCode.RebalanceInProgress, "the group is rebalancing: join again")
            : new HeartbeatResponse(ErrorCode.None, null));
    }

    public void Leave(LeaveGroupRequest r, object replyTo)
    {
        if (r.GroupId.Length == 0)
        {
            Reply(replyTo, GroupReplies.Failed(r, ErrorCode.InvalidGroupId, "the group id must not be empty"));
            return;
        }
        var results = new List<LeftMember>(r.Members.Count);
        foreach (var leaving in r.Members)
        {
            results.Add(new LeftMember(leaving.MemberId, leaving.GroupInstanceId, RemoveLeaving(leaving)));
        }
        Reply(replyTo, new LeaveGroupResponse(ErrorCode.None, null, results));
    }

    /// <summary>
    /// Fires whatever timed out by now: the join phase's end, the sync phase's end (members that
    /// joined but never synced), members given an id who never joined, expired sessions.
    /// </summary>
    public void Tick()
    {
        var now = Now;
        if (Group.Phase == GroupPhase.PreparingRebalance && _joinDeadlineMs <= now)
        {
            if (_initialJoin && Group.NewMemberAdded && _initialJoinRemainingMs > 0)
            {
                // Kafka's InitialDelayedJoin: members kept arriving, so wait once more, within the rebalance timeout.
                Group.NewMemberAdded = false;
                var delay = Math.Min((long)_settings.InitialRebalanceDelay.TotalMilliseconds, _initialJoinRemainingMs);
                _initialJoinRemainingMs = Math.Max(_initialJoinRemainingMs - delay, 0);
                _joinDeadlineMs = now + delay;
            }
            else
            {
                CompleteJoin();
            }
        }
        RemoveUnsyncedMembers(now);
        foreach (var (memberId, deadline) in Group.PendingMembers.ToList())
        {
            if (deadline <= now) Group.RemovePending(memberId);
        }
        foreach (var member in Group.Members.ToList())
        {
            if (!IsAlive(member, now)) RemoveMember(member, $"session of {member.MemberId} expired");
        }
        TryCompleteJoin();
    }

    /// <summary>When <see cref="Tick"/> has something to do next; null when nothing is timed.</summary>
    public long? NextDeadlineMs
    {
        get
        {
            var next = Group.Phase == GroupPhase.PreparingRebalance ? _joinDeadlineMs : SyncDeadlineMs;
            foreach (var deadline in Group.PendingMembers.Values) next = Min(next, deadline);
            foreach (var m in Group.Members)
            {
                if (!m.IsAwaitingJoin && m.SyncWaiter is null) next = Min(next, m.LastSeenMs + m.SessionTimeoutMs);
            }
            return next;
        }
    }

    /// <summary>The group as DescribeGroups shows it: every member with its client; their metadata and assignments only while Stable, as Kafka.</summary>
    public DescribeGroupResponse Describe()
    {
        if (!IsKnown) return new DescribeGroupResponse(GroupId, ErrorCode.None, null, nameof(GroupPhase.Dead), "", "", []);
        var stable = Group.Phase == GroupPhase.Stable;
        var members = Group.Members
            .Select(m => new DescribedMember(m.MemberId, m.GroupInstanceId, m.Client.ClientId, m.Client.Host,
                stable ? m.MetadataFor(Group.ProtocolName) : [], stable ? m.Assignment : []))
            .ToList();
        return new DescribeGroupResponse(GroupId, ErrorCode.None, null, Group.Phase.ToString(), Group.ProtocolType ?? "",
            stable ? Group.ProtocolName ?? "" : "", members);
    }

    /// <summary>
    /// Whether the group exists: it is not dead and has (or had) members, a generation or offsets.
    /// A group entity started by a request for an id nobody used is not known.
    /// </summary>
    public bool IsKnown => Group.Phase != GroupPhase.Dead
        && (Group.Generation > 0 || !Group.IsEmpty || Group.ProtocolType is not null || Offsets.Count > 0 || Group.PendingMembers.Count > 0);

    private void JoinAsNewMember(JoinGroupRequest r, object replyTo)
    {
        if (!Group.SupportsProtocols(r.ProtocolType, r.Protocols))
        {
            Reply(replyTo, GroupReplies.JoinFailed("", ErrorCode.InconsistentGroupProtocol, InconsistentProtocols(r)));
            return;
        }
        var memberId = $"{r.GroupInstanceId ?? "member"}-{Guid.NewGuid():N}";
        if (r.GroupInstanceId is { } instance && Group.StaticMemberId(instance) is { } oldMemberId)
        {
            ReplaceStaticMember(oldMemberId, memberId, r, replyTo);
        }
        else if (r.GroupInstanceId is null && r.RequireKnownMemberId)
        {
            // Kafka v4+: the member learns its id first and joins again with it, so that a join
            // whose answer is lost does not leave an unknown member behind.
            Group.AddPending(memberId, Now + r.SessionTimeoutMs);
            Reply(replyTo, GroupReplies.JoinFailed(memberId, ErrorCode.MemberIdRequired, "join again with the member id given"));
        }
        else
        {
            AddMemberAndRebalance(memberId, r, replyTo);
        }
    }

    private void JoinAsKnownMember(JoinGroupRequest r, object replyTo)
    {
        if (Group.RemovePending(r.MemberId))
        {
            AddMemberAndRebalance(r.MemberId, r, replyTo);
            return;
        }
        if (Group.IsStaticMemberFenced(r.GroupInstanceId, r.MemberId))
        {
            Reply(replyTo, GroupReplies.JoinFailed(r.MemberId, ErrorCode.FencedInstanceId, $"instance {r.GroupInstanceId} now has another member id"));
            return;
        }
        if (!Group.Has(r.MemberId))
        {
            Reply(replyTo, GroupReplies.JoinFailed(r.MemberId, ErrorCode.UnknownMemberId, $"{r.MemberId} is not a member of group {GroupId}"));
            return;
        }
        if (!Group.SupportsProtocols(r.ProtocolType, r.Protocols))
        {
            Reply(replyTo, GroupReplies.JoinFailed(r.MemberId, ErrorCode.InconsistentGroupProtocol, InconsistentProtocols(r)));
            return;
        }
        var member = Group.Get(r.MemberId);
        member.LastSeenMs = Now;
        var unchanged = member.SameProtocols(r.Protocols);
        switch (Group.Phase)
        {
            case GroupPhase.CompletingRebalance when unchanged:
                // The member lost the join answer: give it again.
                Reply(replyTo, JoinAnswer(member));
                break;
            case GroupPhase.Stable when unchanged && r.MemberId != Group.Leader:
                Reply(replyTo, JoinAnswer(member));
                break;
            default:
                UpdateMemberAndRebalance(member, r, replyTo);
                break;
        }
    }

    private void AddMemberAndRebalance(string memberId, JoinGroupRequest r, object replyTo)
    {
        var member = new GroupMember(memberId, r.GroupInstanceId, GroupClient.Of(r), r.ProtocolType, r.Protocols, r.SessionTimeoutMs, r.RebalanceTimeoutMs)
        {
            JoinWaiter = replyTo,
            IsNew = true,
            LastSeenMs = Now,
        };
        if (LastStored is null && Offsets.Count == 0 && Group.IsEmpty)
        {
            // The group's first member: the journal learns the group exists (ListGroups reads it there).
            Persist(new GroupMetadataStored(r.ProtocolType, null, Group.Generation, null, Now, []));
        }
        Group.Add(member);
        if (Group.Phase == GroupPhase.PreparingRebalance) Group.NewMemberAdded = true;
        RebalanceOrTryComplete();
    }

    private void UpdateMemberAndRebalance(GroupMember member, JoinGroupRequest r, object replyTo)
    {
        if (member.JoinWaiter is { } superseded)
        {
            Reply(superseded, GroupReplies.JoinFailed(member.MemberId, ErrorCode.RebalanceInProgress, "superseded by a newer JoinGroup of the same member"));
        }
        member.Protocols = r.Protocols;
        member.SessionTimeoutMs = r.SessionTimeoutMs;
        member.RebalanceTimeoutMs = r.RebalanceTimeoutMs;
        member.JoinWaiter = replyTo;
        RebalanceOrTryComplete();
    }

    /// <summary>
    /// A static member came back with a new member id: the new id takes the old one's place (the old
    /// id's waiting requests are answered FencedInstanceId). In a stable group whose selected protocol
    /// stays the same with the member's new protocols, this needs no rebalance: the member keeps its
    /// assignment and the change is persisted. That is Kafka's test (KIP-345): it compares the
    /// protocol the group would select, not the metadata bytes, which a restarted consumer never
    /// repeats (its ConsumerProtocol subscription carries its generation and owned partitions).
    /// </summary>
    private void ReplaceStaticMember(string oldMemberId, string newMemberId, JoinGroupRequest r, object replyTo)
    {
        var old = Group.Get(oldMemberId);
        if (old.JoinWaiter is { } oldJoin) Reply(oldJoin, GroupReplies.JoinFailed(oldMemberId, ErrorCode.FencedInstanceId, $"instance {r.GroupInstanceId} rejoined as {newMemberId}"));
        if (old.SyncWaiter is { } oldSync) Reply(oldSync, GroupReplies.SyncFailed(ErrorCode.FencedInstanceId, $"instance {r.GroupInstanceId} rejoined as {newMemberId}"));
        var member = new GroupMember(newMemberId, r.GroupInstanceId, GroupClient.Of(r), r.ProtocolType, r.Protocols, r.SessionTimeoutMs, r.RebalanceTimeoutMs)
        {
            Assignment = old.Assignment,
            LastSeenMs = Now,
        };
        Group.ReplaceStatic(oldMemberId, member);
        if (Group.Phase == GroupPhase.Stable && Group.SelectProtocol() == Group.ProtocolName)
        {
            Persist(Group.ToStored());
            Reply(replyTo, new JoinGroupResponse(ErrorCode.None, null, Group.Generation, Group.ProtocolType, Group.ProtocolName, Group.Leader ?? "", newMemberId, []));
            return;
        }
        member.JoinWaiter = replyTo;
        RebalanceOrTryComplete();
    }

    /// <summary>Removes one member of a LeaveGroup and says how it went.</summary>
    private ErrorCode RemoveLeaving(LeavingMember leaving)
    {
        if (Group.Phase == GroupPhase.Dead) return ErrorCode.UnknownMemberId;
        var memberId = leaving.MemberId;
        if (memberId.Length == 0 && leaving.GroupInstanceId is { } instance)
        {
            memberId = Group.StaticMemberId(instance) ?? "";
        }
        else if (Group.IsStaticMemberFenced(leaving.GroupInstanceId, memberId))
        {
            return ErrorCode.FencedInstanceId;
        }
        if (Group.RemovePending(memberId))
        {
            TryCompleteJoin();
            return ErrorCode.None;
        }
        if (!Group.Has(memberId)) return ErrorCode.UnknownMemberId;
        RemoveMember(Group.Get(memberId), $"{memberId} left");
        return ErrorCode.None;
    }

    /// <summary>A member leaves or fails: its waiting requests are answered, and the others rebalance.</summary>
    private void RemoveMember(GroupMember member, string reason)
    {
        if (member.JoinWaiter is { } join) Reply(join, GroupReplies.JoinFailed(member.MemberId, ErrorCode.UnknownMemberId, reason));
        if (member.SyncWaiter is { } sync) Reply(sync, GroupReplies.SyncFailed(ErrorCode.UnknownMemberId, reason));
        Group.Remove(member.MemberId);
        switch (Group.Phase)
        {
            case GroupPhase.Stable or GroupPhase.CompletingRebalance:
                PrepareRebalance();
                break;
            case GroupPhase.PreparingRebalance:
                TryCompleteJoin();
                break;
        }
    }

    private void RebalanceOrTryComplete()
    {
        if (Group.Phase == GroupPhase.PreparingRebalance) TryCompleteJoin();
        else PrepareRebalance();
    }

    /// <summary>
    /// Starts a rebalance: members waiting for an assignment are told to rejoin, and the join phase
    /// lasts until every member has rejoined or the rebalance timeout passes; the first join of an
    /// empty group waits the initial rebalance delay instead, so that members starting together
    /// land in one generation.
    /// </summary>
    private void PrepareRebalance()
    {
        var now = Now;
        if (Group.Phase == GroupPhase.CompletingRebalance)
        {
            foreach (var m in Group.Members)
            {
                m.Assignment = [];
                if (m.SyncWaiter is { } sync)
                {
                    Reply(sync, GroupReplies.SyncFailed(ErrorCode.RebalanceInProgress, "the group is rebalancing: join again"));
                    m.SyncWaiter = null;
                    m.LastSeenMs = now; // as Kafka: an answered member's session starts again (it was kept alive while it waited)
                }
            }
        }
        StopAwaitingSyncs();
        var initialDelay = (long)_settings.InitialRebalanceDelay.TotalMilliseconds;
        _initialJoin = Group.Phase == GroupPhase.Empty && initialDelay > 0;
        if (_initialJoin)
        {
            _joinDeadlineMs = now + initialDelay;
            _initialJoinRemainingMs = Math.Max(Group.RebalanceTimeoutMs - initialDelay, 0);
            Group.NewMemberAdded = false;
        }
        else
        {
            _joinDeadlineMs = now + Group.RebalanceTimeoutMs;
        }
        Group.TransitionTo(GroupPhase.PreparingRebalance, now);
        TryCompleteJoin();
    }

    private void TryCompleteJoin()
    {
        if (Group.Phase == GroupPhase.PreparingRebalance && !_initialJoin && Group.AllJoined) CompleteJoin();
    }

    /// <summary>
    /// Ends the join phase: members that did not rejoin are removed, the next generation starts
    /// and every member gets its answer (the leader with every member's metadata). A group left
    /// with no members becomes Empty, which is persisted.
    /// </summary>
    private void CompleteJoin()
    {
        _joinDeadlineMs = null;
        _initialJoin = false;
        foreach (var m in Group.Members.ToList())
        {
            if (!m.IsAwaitingJoin) Group.Remove(m.MemberId);
        }
        var now = Now;
        Group.InitNextGeneration(now);
        if (Group.IsEmpty)
        {
            Persist(Group.ToStored());
            return;
        }
        foreach (var m in Group.Members)
        {
            Reply(m.JoinWaiter!, JoinAnswer(m));
            m.JoinWaiter = null;
            m.IsNew = false;
            m.LastSeenMs = now;
        }
        AwaitSyncs(now);
    }

    /// <summary>The leader's SyncGroup: its assignments are persisted with the generation, then every waiting member gets its own.</summary>
    private void CompleteAssignment(IReadOnlyList<GroupAssignment> assignments)
    {
        var byMember = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var a in assignments) byMember[a.MemberId] = a.Assignment;
        foreach (var m in Group.Members) m.Assignment = byMember.GetValueOrDefault(m.MemberId, []);
        Group.TransitionTo(GroupPhase.Stable, Now);
        Persist(Group.ToStored());
        var now = Now;
        foreach (var m in Group.Members)
        {
            if (m.SyncWaiter is not { } sync) continue;
            Reply(sync, new SyncGroupResponse(ErrorCode.None, null, Group.ProtocolType, Group.ProtocolName, m.Assignment));
            m.SyncWaiter = null;
            m.LastSeenMs = now;
        }
    }

    private JoinGroupResponse JoinAnswer(GroupMember member) =>
        new(ErrorCode.None, null, Group.Generation, Group.ProtocolType, Group.ProtocolName, Group.Leader ?? "", member.MemberId,
            member.MemberId == Group.Leader ? Group.LeaderView() : []);

    /// <summary>
    /// The checks SyncGroup and Heartbeat share (Kafka's order): the group id, a fenced static
    /// member, an unknown member, another generation, an empty or dead group.
    /// </summary>
    private (ErrorCode Error, string Message)? ValidateMember(string groupId, string memberId, string? instanceId, int generation)
    {
        if (groupId.Length == 0) return (ErrorCode.InvalidGroupId, "the group id must not be empty");
        if (Group.Phase is GroupPhase.Dead or GroupPhase.Empty) return (ErrorCode.UnknownMemberId, $"group {GroupId} has no members");
        if (Group.IsStaticMemberFenced(instanceId, memberId)) return (ErrorCode.FencedInstanceId, $"instance {instanceId} now has another member id");
        if (!Group.Has(memberId)) return (ErrorCode.UnknownMemberId, $"{memberId} is not a member of group {GroupId}");
        if (generation != Group.Generation) return (ErrorCode.IllegalGeneration, $"generation {generation} is not the group's current {Group.Generation}");
        return null;
    }

    /// <summary>Kafka's shouldKeepAlive: a member waiting for a join or sync answer is alive; otherwise its session decides.</summary>
    private static bool IsAlive(GroupMember member, long now) =>
        member.IsAwaitingJoin || member.SyncWaiter is not null || member.LastSeenMs + member.SessionTimeoutMs > now;

    private string InconsistentProtocols(JoinGroupRequest r) =>
        $"protocol type '{r.ProtocolType}' with [{string.Join(", ", r.Protocols.Select(p => p.Name))}] does not match group {GroupId} " +
        $"(type '{Group.ProtocolType}', protocols every member supports: [{string.Join(", ", Group.CandidateProtocols())}])";

    private static long? Min(long? a, long b) => a is { } x ? Math.Min(x, b) : b;

    private void Reply(object to, object message) => _replies.Add(new GroupReply(to, message));

    private void Persist(IGroupEvent e)
    {
        _events.Add(e);
        if (e is GroupMetadataStored stored) LastStored = stored;
    }
}
