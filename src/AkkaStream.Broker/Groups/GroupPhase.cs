namespace AkkaStream.Broker.Groups;

/// <summary>A group's state, as Kafka's GroupMetadata names them (DescribeGroups and ListGroups show the names).</summary>
public enum GroupPhase
{
    /// <summary>No members; the group may still have committed offsets.</summary>
    Empty,

    /// <summary>A rebalance started: members must rejoin before the join completes.</summary>
    PreparingRebalance,

    /// <summary>Every member joined; waiting for the leader's assignment in SyncGroup.</summary>
    CompletingRebalance,

    /// <summary>Every member has its assignment.</summary>
    Stable,

    /// <summary>Deleted, or expired with no members and no offsets.</summary>
    Dead,
}
