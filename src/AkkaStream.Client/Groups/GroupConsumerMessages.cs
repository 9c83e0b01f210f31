using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

// The public protocol of GroupConsumerActor. Records are read with Consumer.Poll, whose reply is a
// Consumer.PollResult or, when the group changed the consumer's partitions, one IRebalanceEvent.

/// <summary>Subscribes to exactly these topics (replacing any earlier subscription) and joins the group.</summary>
public sealed record SubscribeTopics(IReadOnlyList<string> Topics);

/// <summary>
/// Subscribes to every topic whose whole name matches the regular expression <paramref name="Pattern"/>
/// (re-evaluated whenever the client's metadata changes) and joins the group.
/// </summary>
public sealed record SubscribePattern(string Pattern);

/// <summary>
/// A change of the consumer's partitions, the reply to a Poll. The rebalance it belongs to waits
/// until the application polls again (or closes), so that the application can finish and commit
/// its work on revoked partitions before another member gets them; Kafka runs its rebalance
/// listener inside poll for the same reason.
/// </summary>
public interface IRebalanceEvent
{
    IReadOnlyList<TopicPartition> Partitions { get; }

    int GenerationId { get; }
}

/// <summary>The group completed a rebalance; these partitions are new to the consumer (possibly none).</summary>
public sealed record PartitionsAssigned(IReadOnlyList<TopicPartition> Partitions, int GenerationId) : IRebalanceEvent;

/// <summary>
/// These partitions go to other members. Records of them are no longer returned; commits for them
/// still succeed until the next poll, after which (with enable-auto-commit, once the consumed
/// positions are committed) they are given up.
/// </summary>
public sealed record PartitionsRevoked(IReadOnlyList<TopicPartition> Partitions, int GenerationId) : IRebalanceEvent;

/// <summary>
/// The consumer was fenced (its session expired, or the coordinator no longer knows its generation):
/// other members may own these partitions already, so nothing was committed for them.
/// </summary>
public sealed record PartitionsLost(IReadOnlyList<TopicPartition> Partitions, int GenerationId) : IRebalanceEvent;

/// <summary>
/// Commits <paramref name="Offsets"/> (the next offset to read, per partition), or when null the
/// positions of every record poll has returned. Replies <see cref="OffsetsCommitted"/>, or a
/// Status.Failure carrying an AkkaStreamException with the Kafka error code.
/// </summary>
public sealed record CommitOffsets(IReadOnlyDictionary<TopicPartition, long>? Offsets = null);

public sealed record OffsetsCommitted(IReadOnlyDictionary<TopicPartition, long> Offsets);

/// <summary>Replies a <see cref="GroupMembership"/>.</summary>
public sealed record GetMembership
{
    public static readonly GetMembership Instance = new();
}

/// <summary>The consumer's place in its group now: generation -1 and no partitions while it is not a member.</summary>
public sealed record GroupMembership(string GroupId, string MemberId, int GenerationId, bool IsLeader, string? Protocol, IReadOnlyList<TopicPartition> Partitions);

/// <summary>
/// Commits the consumed positions (with enable-auto-commit), leaves the group (a static member
/// stays, so that its restart does not rebalance) and stops; replies <see cref="GroupConsumerClosed"/>.
/// </summary>
public sealed record CloseGroupConsumer
{
    public static readonly CloseGroupConsumer Instance = new();
}

public sealed record GroupConsumerClosed
{
    public static readonly GroupConsumerClosed Instance = new();
}
