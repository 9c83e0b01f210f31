using Akka.Actor;
using AkkaStream.Client.Internal;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Consumer;

/// <summary>
/// Task-returning face of a <see cref="ConsumerActor"/>, shaped like Kafka's consumer with manual
/// assignment. Like Kafka's, it is meant for one thread of the application at a time: positions
/// move when <see cref="PollAsync"/> returns records.
/// </summary>
public sealed class AkkaStreamConsumer : IAsyncDisposable
{
    private readonly GatewayRequests _requests;

    internal AkkaStreamConsumer(IActorRef actor, GatewayRequests requests)
    {
        Actor = actor;
        _requests = requests;
    }

    /// <summary>The consumer actor.</summary>
    public IActorRef Actor { get; }

    public void Assign(IReadOnlyList<TopicPartition> partitions) => Actor.Tell(new Assign(partitions));

    public void Seek(TopicPartition partition, long offset) => Actor.Tell(new Seek(partition, offset));

    public void SeekToBeginning(IReadOnlyList<TopicPartition> partitions) => Actor.Tell(new SeekToBeginning(partitions));

    public void SeekToEnd(IReadOnlyList<TopicPartition> partitions) => Actor.Tell(new SeekToEnd(partitions));

    /// <summary>
    /// The records fetched since the last poll, waiting up to <paramref name="timeout"/> for some;
    /// empty when none came. Throws <see cref="Records.Errors.AkkaStreamException"/> when a partition cannot be read.
    /// Cancelled, it returns the records already on their way rather than drop them, else throws.
    /// </summary>
    public async Task<IReadOnlyList<ConsumeRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PollAsk.RecordsOf((PollResult)await PollAsk.AskAsync(Actor, new Poll(timeout), timeout + _requests.Settings.RequestTimeout, cancellationToken).ConfigureAwait(false),
            cancellationToken);

    /// <summary>The next offset to be returned for each assigned partition whose position is known.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> PositionsAsync() =>
        (await Actor.Ask<Positions>(GetPositions.Instance, _requests.Settings.RequestTimeout).ConfigureAwait(false)).ByPartition;

    /// <summary>
    /// For each partition, the first offset whose record timestamp is at or after
    /// <paramref name="timestamp"/> (ms since the Unix epoch), or -1 when no record is that recent.
    /// </summary>
    public Task<IReadOnlyDictionary<TopicPartition, long>> OffsetsForTimesAsync(
        IReadOnlyList<TopicPartition> partitions, long timestamp, CancellationToken cancellationToken = default) =>
        _requests.OffsetsForAsync(partitions, timestamp, cancellationToken);

    /// <summary>Earliest offset of each partition (its log start).</summary>
    public Task<IReadOnlyDictionary<TopicPartition, long>> BeginningOffsetsAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        OffsetsForTimesAsync(partitions, ListOffsetsRequest.Earliest, cancellationToken);

    /// <summary>Log end offset of each partition.</summary>
    public Task<IReadOnlyDictionary<TopicPartition, long>> EndOffsetsAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        OffsetsForTimesAsync(partitions, ListOffsetsRequest.Latest, cancellationToken);

    public ValueTask DisposeAsync()
    {
        Actor.Tell(PoisonPill.Instance);
        return ValueTask.CompletedTask;
    }
}
