using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

/// <summary>
/// The application's hooks into a group's rebalances (Kafka's ConsumerRebalanceListener). They run
/// inside <see cref="AkkaStreamGroupConsumer.PollAsync"/>, on the caller's flow, before the poll
/// returns records; the rebalance waits for <see cref="OnPartitionsRevokedAsync"/> to finish, so it
/// is the place to commit work done on the partitions.
/// </summary>
public interface IGroupRebalanceListener
{
    /// <summary>After a rebalance: the partitions new to this consumer (possibly none).</summary>
    Task OnPartitionsAssignedAsync(IReadOnlyList<TopicPartition> partitions) => Task.CompletedTask;

    /// <summary>Before these partitions go to other members; commits still succeed here.</summary>
    Task OnPartitionsRevokedAsync(IReadOnlyList<TopicPartition> partitions) => Task.CompletedTask;

    /// <summary>The consumer was fenced and these partitions may already be someone else's: do not commit for them.</summary>
    Task OnPartitionsLostAsync(IReadOnlyList<TopicPartition> partitions) => Task.CompletedTask;
}
