namespace AkkaStream.Broker.Groups;

// Rebuilding the state from the journal, and the snapshot that keeps recovery short.
public sealed partial class GroupCoordinator
{
    /// <summary>The membership last persisted (a snapshot carries it rather than a rebalance half done).</summary>
    public GroupMetadataStored? LastStored { get; private set; }

    /// <summary>Applies a recovered event or snapshot, or an OffsetsCommitted just persisted.</summary>
    public void Apply(IGroupEvent e)
    {
        switch (e)
        {
            case GroupMetadataStored stored:
                Group.Restore(stored, Now);
                LastStored = stored;
                break;
            case OffsetsCommitted committed:
                if (Group.Phase == GroupPhase.Dead) Group.Clear(GroupPhase.Empty, Now);
                Offsets.Apply(committed);
                break;
            case OffsetsRemoved removed:
                Offsets.Apply(removed);
                break;
            case GroupDeleted deleted:
                Offsets.Clear();
                Group.Clear(GroupPhase.Dead, deleted.TimestampMs);
                LastStored = null;
                break;
            case GroupSnapshot snapshot:
                Offsets.Clear();
                Group.Clear(snapshot.Dead ? GroupPhase.Dead : GroupPhase.Empty, Now);
                LastStored = snapshot.Metadata;
                if (snapshot.Metadata is { } metadata) Group.Restore(metadata, Now);
                Offsets.Apply(new OffsetsCommitted(snapshot.Offsets));
                break;
        }
    }

    /// <summary>After recovery every member's session starts again from now, as when Kafka loads a group.</summary>
    public void RecoveryCompleted()
    {
        var now = Now;
        foreach (var m in Group.Members) m.LastSeenMs = now;
    }

    public GroupSnapshot ToSnapshot() => new(Group.Phase == GroupPhase.Dead, LastStored, Offsets.All.ToList());
}
