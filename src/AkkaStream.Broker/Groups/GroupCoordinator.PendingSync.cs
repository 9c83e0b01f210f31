namespace AkkaStream.Broker.Groups;

// The sync phase's deadline (Kafka's pending-sync members and DelayedSync): once a join phase
// completes, every member of the new generation must send SyncGroup within the group's rebalance
// timeout. A member that joined but never syncs would otherwise hold the generation: while the
// group is CompletingRebalance the others wait for an assignment the leader may never send, and
// once it is Stable the member keeps partitions it never consumes (until its session expires,
// which a member that heartbeats without syncing never lets happen). At the deadline such members
// are removed and the others rebalance without them.
public sealed partial class GroupCoordinator
{
    /// <summary>When the current generation's members that have not synced yet are removed; null when none are awaited.</summary>
    private long? _syncDeadlineMs;

    /// <summary>The join phase just completed: every member of the new generation owes a SyncGroup within the rebalance timeout.</summary>
    private void AwaitSyncs(long nowMs)
    {
        foreach (var m in Group.Members) m.SyncPending = true;
        _syncDeadlineMs = Group.IsEmpty ? null : nowMs + Group.RebalanceTimeoutMs;
    }

    /// <summary>A member of the current generation sent its SyncGroup.</summary>
    private void Synced(GroupMember member)
    {
        member.SyncPending = false;
        if (!Group.Members.Any(m => m.SyncPending)) _syncDeadlineMs = null;
    }

    /// <summary>A rebalance starts: the generation's syncs are no longer awaited.</summary>
    private void StopAwaitingSyncs()
    {
        _syncDeadlineMs = null;
        foreach (var m in Group.Members) m.SyncPending = false;
    }

    /// <summary>The deadline of <see cref="Tick"/> for the sync phase, while it is awaited.</summary>
    private long? SyncDeadlineMs => Group.Phase is GroupPhase.CompletingRebalance or GroupPhase.Stable ? _syncDeadlineMs : null;

    /// <summary>At the sync deadline: removes the members that never synced, which starts a rebalance for the others.</summary>
    private void RemoveUnsyncedMembers(long nowMs)
    {
        if (SyncDeadlineMs is not { } deadline || deadline > nowMs) return;
        _syncDeadlineMs = null;
        foreach (var member in Group.Members.Where(m => m.SyncPending).ToList())
        {
            RemoveMember(member, $"{member.MemberId} did not sync within the rebalance timeout ({Group.RebalanceTimeoutMs} ms)");
        }
    }
}
