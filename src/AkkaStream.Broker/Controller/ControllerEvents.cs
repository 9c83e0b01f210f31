using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Serialization;

namespace AkkaStream.Broker.Controller;

// The controller's journal: every decision is one of these, persisted before it is acted on.
// Their byte format is BrokerEventSerializer's; a change to a field needs a new manifest version.

/// <summary>A controller instance started; <see cref="Epoch"/> fences decisions of older instances.</summary>
public sealed record ControllerEpochStarted(int Epoch, string ClusterId) : IPersistedEvent;

public sealed record TopicCreated(TopicState Topic) : IPersistedEvent;

public sealed record TopicDeleted(string Name) : IPersistedEvent;

public sealed record PartitionsCreated(string Name, IReadOnlyList<PartitionState> Added) : IPersistedEvent;

/// <summary>The topic's own settings after an AlterConfigs (the whole set, not the change).</summary>
public sealed record TopicConfigsChanged(string Name, IReadOnlyDictionary<string, string> Configs) : IPersistedEvent;

/// <summary>A partition's leader, epoch or ISR changed; carries the partition's new state.</summary>
public sealed record LeaderChanged(string Name, PartitionState Partition) : IPersistedEvent;

/// <summary>
/// A reassignment of partition <c>Partition.Partition</c> to <see cref="Target"/> started (or got a
/// new target): <see cref="Partition"/> carries the partition with every replica of the target and
/// of its current assignment, and the next leader epoch.
/// </summary>
public sealed record ReassignmentStarted(string Name, PartitionState Partition, IReadOnlyList<int> Target) : IPersistedEvent;

/// <summary>A reassignment finished: <see cref="Partition"/> carries the partition on its target replicas alone.</summary>
public sealed record ReassignmentCompleted(string Name, PartitionState Partition) : IPersistedEvent;

/// <summary>A reassignment was cancelled: <see cref="Partition"/> carries the partition back on the replicas it had before it started.</summary>
public sealed record ReassignmentCancelled(string Name, PartitionState Partition) : IPersistedEvent;

/// <summary>
/// Every producer id below <see cref="UpTo"/> is taken: the controller reserved a block of them,
/// to hand out from memory. A controller that starts after it hands out ids from here on.
/// </summary>
public sealed record ProducerIdsReserved(long UpTo) : IPersistedEvent;

/// <summary>The controller's whole state, saved every <c>akkastream.journal.snapshot-every</c> events.</summary>
/// <param name="ProducerIdsReservedUpTo">See <see cref="ProducerIdsReserved"/>; 0 in snapshots older than producer ids.</param>
/// <param name="Reassignments">The reassignments in progress; none in snapshots older than reassignments.</param>
public sealed record ControllerSnapshot(
    string ClusterId,
    int ControllerEpoch,
    IReadOnlyList<TopicState> Topics,
    long ProducerIdsReservedUpTo = 0,
    IReadOnlyList<PartitionReassignment>? Reassignments = null) : IPersistedEvent;

/// <summary>A partition being moved to <see cref="Target"/> from <see cref="Original"/> (null in snapshots older than cancelling).</summary>
public sealed record PartitionReassignment(string Topic, int Partition, IReadOnlyList<int> Target, IReadOnlyList<int>? Original = null);
