using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Moves a partition's replicas to <see cref="Replicas"/> (Kafka's AlterPartitionReassignments):
/// the new replicas catch up from the leader, then the old ones are removed. Answered once the
/// controller accepted and persisted the reassignment, not when it completes (see
/// <see cref="ListPartitionReassignmentsRequest"/>). A new target for a partition already being
/// reassigned replaces the old target.
/// </summary>
/// <param name="Replicas">
/// The target replicas, preferred leader first; live brokers, each once. Null cancels the
/// reassignment in progress, as in Kafka: the partition goes back to the replicas it had before it
/// started, and the replicas it added are removed (<c>NoReassignmentInProgress</c> when there is none).
/// </param>
public sealed record AlterPartitionReassignmentsRequest(string Topic, int Partition, IReadOnlyList<int>? Replicas) : IControlMessage
{
    // Copied: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyList<int>? Replicas { get; init; } = Replicas?.ToArray();

    /// <summary>The request that cancels the reassignment of one partition.</summary>
    public static AlterPartitionReassignmentsRequest Cancel(string topic, int partition) => new(topic, partition, null);
}

public sealed record AlterPartitionReassignmentsResponse(string Topic, int Partition, ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;

/// <summary>Asks for the reassignments in progress (Kafka's ListPartitionReassignments).</summary>
/// <param name="Topics">The topics to list; null for every topic.</param>
public sealed record ListPartitionReassignmentsRequest(IReadOnlyList<string>? Topics) : IControlMessage
{
    // Copied: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyList<string>? Topics { get; init; } = Topics?.ToArray();
}

public sealed record ListPartitionReassignmentsResponse(ErrorCode Error, string? ErrorMessage, IReadOnlyList<OngoingReassignment> Reassignments)
    : IControlMessage, IErrorReply;

/// <summary>One partition being reassigned: every replica it has now, those still catching up and those to be removed.</summary>
public sealed record OngoingReassignment(string Topic, int Partition, IReadOnlyList<int> Replicas, IReadOnlyList<int> AddingReplicas, IReadOnlyList<int> RemovingReplicas);
