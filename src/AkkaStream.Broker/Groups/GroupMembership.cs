using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

/// <summary>
/// A group's membership, as Kafka's GroupMetadata: its members (in join order), the static
/// members' instance ids, the members that were given an id but have not joined with it yet
/// (MemberIdRequired), the generation, the protocol type and selected protocol, the leader and the
/// state. It knows the rules of the data (protocol selection, who has rejoined); the protocol's
/// steps are in <see cref="GroupCoordinator"/>. Not thread-safe: one entity owns it.
/// </summary>
public sealed class GroupMembership
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly List<string> _joinOrder = [];
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pendingMembers = new(StringComparer.Ordinal);

    public GroupPhase Phase { get; private set; } = GroupPhase.Empty;

    /// <summary>When the group entered <see cref="Phase"/> (ms since the epoch).</summary>
    public long PhaseSinceMs { get; private set; }

    public int Generation { get; private set; }

    public string? ProtocolType { get; private set; }

    /// <summary>The protocol selected for the current generation; null while the group is empty.</summary>
    public string? ProtocolName { get; private set; }

    public string? Leader { get; private set; }

    /// <summary>A member joined during the initial delayed join (Kafka's newMemberAdded).</summary>
    public bool NewMemberAdded { get; set; }

    public int Count => _members.Count;

    public bool IsEmpty => _members.Count == 0;

    public IEnumerable<GroupMember> Members
    {
        get
        {
            foreach (var id in _joinOrder) yield return _members[id];
        }
    }

    public IReadOnlyDictionary<string, long> PendingMembers => _pendingMembers;

    public bool Has(string memberId) => _members.ContainsKey(memberId);

    public GroupMember Get(string memberId) => _members[memberId];

    public string? StaticMemberId(string groupInstanceId) => _staticMembers.GetValueOrDefault(groupInstanceId);

    /// <summary>A static member named by an instance id that now belongs to another member id (Kafka's isStaticMemberFenced).</summary>
    public bool IsStaticMemberFenced(string? groupInstanceId, string memberId) =>
        groupInstanceId is not null && _staticMembers.TryGetValue(groupInstanceId, out var current) && current != memberId;

    public void TransitionTo(GroupPhase phase, long nowMs)
    {
        Phase = phase;
        PhaseSinceMs = nowMs;
    }

    public void Add(GroupMember member)
    {
        if (_members.Count == 0 && ProtocolType is null) ProtocolType = member.ProtocolType;
        _members.Add(member.MemberId, member);
        _joinOrder.Add(member.MemberId);
        if (member.GroupInstanceId is { } instance) _staticMembers[instance] = member.MemberId;
        Leader ??= member.MemberId;
    }

    /// <summary>Removes a member; when it led the group, the longest-standing remaining member leads.</summary>
    public void Remove(string memberId)
    {
        if (!_members.Remove(memberId, out var member)) return;
        _joinOrder.Remove(memberId);
        if (member.GroupInstanceId is { } instance && _staticMembers.GetValueOrDefault(instance) == memberId) _staticMembers.Remove(instance);
        if (Leader == memberId) Leader = _joinOrder.Count > 0 ? _joinOrder[0] : null;
    }

    /// <summary>A static member's new member id takes the old one's place (and its leadership).</summary>
    public void ReplaceStatic(string oldMemberId, GroupMember replacement)
    {
        var index = _joinOrder.IndexOf(oldMemberId);
        _members.Remove(oldMemberId);
        _members.Add(replacement.MemberId, replacement);
        _joinOrder[index] = replacement.MemberId;
        _staticMembers[replacement.GroupInstanceId!] = replacement.MemberId;
        if (Leader == oldMemberId) Leader = replacement.MemberId;
    }

    public void AddPending(string memberId, long deadlineMs) => _pendingMembers[memberId] = deadlineMs;

    public bool IsPending(string memberId) => _pendingMembers.ContainsKey(memberId);

    public bool RemovePending(string memberId) => _pendingMembers.Remove(memberId);

    /// <summary>Every member has rejoined and no member is still to come back with its new id (Kafka's hasAllMembersJoined).</summary>
    public bool AllJoined
    {
        get
        {
            if (_pendingMembers.Count > 0) return false;
            foreach (var m in _members.Values)
            {
                if (!m.IsAwaitingJoin) return false;
            }
            return true;
        }
    }

    /// <summary>The longest rebalance timeout of the members: how long a rebalance waits for them to rejoin.</summary>
    public int RebalanceTimeoutMs
    {
        get
        {
            var max = 0;
            foreach (var m in _members.Values) max = Math.Max(max, m.RebalanceTimeoutMs);
            return max;
        }
    }

    /// <summary>The protocols every member supports, in the order the longest-standing member prefers them.</summary>
    public List<string> CandidateProtocols()
    {
        var candidates = new List<string>();
        if (_joinOrder.Count == 0) return candidates;
        foreach (var p in _members[_joinOrder[0]].Protocols)
        {
            var everyone = true;
            foreach (var m in _members.Values)
            {
                if (!m.Supports(p.Name))
                {
                    everyone = false;
                    break;
                }
            }
            if (everyone && !candidates.Contains(p.Name)) candidates.Add(p.Name);
        }
        return candidates;
    }

    /// <summary>
    /// Whether a member with these protocols may be in the group: the same protocol type, and at
    /// least one protocol every current member supports (for an empty group: any non-empty type and list).
    /// </summary>
    public bool SupportsProtocols(string protocolType, IReadOnlyList<GroupProtocol> protocols)
    {
        if (string.IsNullOrEmpty(protocolType) || protocols.Count == 0) return false;
        if (IsEmpty) return true;
        if (protocolType != ProtocolType) return false;
        var candidates = CandidateProtocols();
        foreach (var p in protocols)
        {
            if (candidates.Contains(p.Name)) return true;
        }
        return false;
    }

    /// <summary>
    /// Kafka's selectProtocol: among the protocols every member supports, each member votes for the
    /// first of its own preference list; the most votes win, a tie goes to the protocol the
    /// longest-standing member prefers.
    /// </summary>
    public string SelectProtocol()
    {
        var candidates = CandidateProtocols();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in _members.Values)
        {
            var vote = m.Vote(candidates);
            votes[vote] = votes.GetValueOrDefault(vote) + 1;
        }
        var best = candidates[0];
        foreach (var name in candidates)
        {
            if (votes.GetValueOrDefault(name) > votes.GetValueOrDefault(best)) best = name;
        }
        return best;
    }

    /// <summary>Starts the next generation: CompletingRebalance with a selected protocol, or Empty when nobody is left.</summary>
    public void InitNextGeneration(long nowMs)
    {
        Generation++;
        NewMemberAdded = false;
        if (IsEmpty)
        {
            ProtocolName = null;
            TransitionTo(GroupPhase.Empty, nowMs);
        }
        else
        {
            ProtocolName = SelectProtocol();
            TransitionTo(GroupPhase.CompletingRebalance, nowMs);
        }
    }

    /// <summary>What the leader receives in its JoinGroup answer: every member with its metadata for the selected protocol.</summary>
    public List<JoinGroupMember> LeaderView()
    {
        var view = new List<JoinGroupMember>(_members.Count);
        foreach (var m in Members) view.Add(new JoinGroupMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName)));
        return view;
    }

    /// <summary>The membership as it is persisted.</summary>
    public GroupMetadataStored ToStored()
    {
        var members = new List<StoredMember>(_members.Count);
        foreach (var m in Members)
        {
            members.Add(new StoredMember(m.MemberId, m.GroupInstanceId, m.SessionTimeoutMs, m.RebalanceTimeoutMs, m.MetadataFor(ProtocolName), m.Assignment,
                m.Client.ClientId, m.Client.Host));
        }
        return new GroupMetadataStored(ProtocolType, ProtocolName, Generation, Leader, PhaseSinceMs, members);
    }

    /// <summary>
    /// Loads persisted membership, as Kafka loads a group: Stable with its members (each
    /// supporting only the selected protocol, with its assignment), or Empty. Every member's session
    /// counts from <paramref name="nowMs"/>.
    /// </summary>
    public void Restore(GroupMetadataStored stored, long nowMs)
    {
        Clear();
        ProtocolType = stored.ProtocolType;
        ProtocolName = stored.ProtocolName;
        Generation = stored.Generation;
        foreach (var s in stored.Members)
        {
            Add(new GroupMember(s.MemberId, s.GroupInstanceId, new GroupClient(s.ClientId, s.ClientHost), stored.ProtocolType ?? "",
                [new GroupProtocol(stored.ProtocolName ?? "", s.Metadata)], s.SessionTimeoutMs, s.RebalanceTimeoutMs) { Assignment = s.Assignment, LastSeenMs = nowMs });
        }
        Leader = stored.Leader;
        Phase = IsEmpty ? GroupPhase.Empty : GroupPhase.Stable;
        PhaseSinceMs = stored.StateTimestampMs;
    }

    /// <summary>Forgets everything: the group is dead (or starts again from nothing).</summary>
    public void Clear(GroupPhase phase = GroupPhase.Empty, long nowMs = 0)
    {
        _members.Clear();
        _joinOrder.Clear();
        _staticMembers.Clear();
        _pendingMembers.Clear();
        Generation = 0;
        ProtocolType = null;
        ProtocolName = null;
        Leader = null;
        NewMemberAdded = false;
        TransitionTo(phase, nowMs);
    }
}
