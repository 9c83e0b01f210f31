using System.Text.RegularExpressions;
using Akka.Actor;
using AkkaStream.Client.Consumer;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

/// <summary>
/// Task-returning face of a <see cref="GroupConsumerActor"/>, shaped like Kafka's consumer with
/// subscribe. Like Kafka's, it is meant for one flow of the application at a time: rebalances
/// progress as it polls, and the listener runs inside <see cref="PollAsync"/>.
/// </summary>
public sealed class AkkaStreamGroupConsumer : IAsyncDisposable
{
    private readonly TimeSpan _requestTimeout;
    private readonly IGroupRebalanceListener? _listener;
    private readonly HashSet<TopicPartition> _assignment = [];

    internal AkkaStreamGroupConsumer(IActorRef actor, string groupId, TimeSpan requestTimeout, IGroupRebalanceListener? listener)
    {
        Actor = actor;
        GroupId = groupId;
        _requestTimeout = requestTimeout;
        _listener = listener;
    }

    /// <summary>The group consumer actor.</summary>
    public IActorRef Actor { get; }

    public string GroupId { get; }

    /// <summary>The partitions this consumer owns, as the rebalance events seen so far by <see cref="PollAsync"/> say (a copy; readable from any thread).</summary>
    public IReadOnlyCollection<TopicPartition> Assignment
    {
        get
        {
            lock (_assignment)
            {
                return _assignment.ToList();
            }
        }
    }

    /// <summary>Subscribes to exactly these topics and joins the group.</summary>
    public void Subscribe(IEnumerable<string> topics)
    {
        var list = topics.ToList();
        if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
        {
            throw new AkkaStreamException(ErrorCode.InvalidTopicException, "subscribe to one or more topics with non-empty names");
        }
        Actor.Tell(new SubscribeTopics(list));
    }

    /// <summary>Subscribes to every topic whose whole name matches <paramref name="pattern"/>, now and as topics appear.</summary>
    public void Subscribe(Regex pattern)
    {
        GroupSubscription.Matching(pattern.ToString());
        Actor.Tell(new SubscribePattern(pattern.ToString()));
    }

    /// <summary>
    /// The records fetched since the last poll, waiting up to <paramref name="timeout"/> for some;
    /// rebalance listener calls happen here first. Throws <see cref="AkkaStreamException"/> when the
    /// group or a partition cannot be read. Cancelled, it returns the records already on their way
    /// rather than drop them (they count as consumed: a commit of the positions includes them), else throws.
    /// </summary>
    public async Task<IReadOnlyList<ConsumeRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining < TimeSpan.Zero)
            {
                remaining = TimeSpan.Zero;
            }
            var reply = await PollAsk.AskAsync(Actor, new Poll(remaining), remaining + _requestTimeout, cancellationToken).ConfigureAwait(false);
            switch (reply)
            {
                case PollResult result:
                    return PollAsk.RecordsOf(result, cancellationToken);
                case IRebalanceEvent rebalance:
                    // The next poll tells the actor the event was handled.
                    await HandleAsync(rebalance).ConfigureAwait(false);
                    break;
                default:
                    throw new AkkaStreamException(ErrorCode.UnknownServerError, $"unexpected poll reply {reply.GetType().Name}");
            }
        }
    }

    private async Task HandleAsync(IRebalanceEvent rebalance)
    {
        switch (rebalance)
        {
            case PartitionsAssigned assigned:
                Change(a => a.UnionWith(assigned.Partitions));
                if (_listener is not null)
                {
                    await _listener.OnPartitionsAssignedAsync(assigned.Partitions).ConfigureAwait(false);
                }
                break;
            case PartitionsRevoked revoked:
                if (_listener is not null)
                {
                    await _listener.OnPartitionsRevokedAsync(revoked.Partitions).ConfigureAwait(false);
                }
                Change(a => a.ExceptWith(revoked.Partitions));
                break;
            case PartitionsLost lost:
                if (_listener is not null)
                {
                    await _listener.OnPartitionsLostAsync(lost.Partitions).ConfigureAwait(false);
                }
                Change(a => a.ExceptWith(lost.Partitions));
                break;
        }
    }

    private void Change(Action<HashSet<TopicPartition>> change)
    {
        lock (_assignment)
        {
            change(_assignment);
        }
    }

    /// <summary>
    /// Commits <paramref name="offsets"/> (the next offset to read per partition), or the positions of
    /// every record poll has returned, and waits for the coordinator (Kafka's commitSync).
    /// </summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> CommitAsync(
        IReadOnlyDictionary<TopicPartition, long>? offsets = null, CancellationToken cancellationToken = default) =>
        (await Actor.Ask<OffsetsCommitted>(new CommitOffsets(offsets), _requestTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false)).Offsets;

    /// <summary>
    /// Starts a commit and returns at once (Kafka's commitAsync); <paramref name="onComplete"/>, when
    /// given, learns the offsets committed or the error.
    /// </summary>
    public void Commit(IReadOnlyDictionary<TopicPartition, long>? offsets = null, Action<IReadOnlyDictionary<TopicPartition, long>?, Exception?>? onComplete = null)
    {
        var commit = CommitAsync(offsets);
        if (onComplete is not null)
        {
            commit.ContinueWith(t => onComplete(t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException()), TaskScheduler.Default);
        }
    }

    /// <summary>The consumer's member id, generation and partitions as the actor knows them now.</summary>
    public Task<GroupMembership> MembershipAsync(CancellationToken cancellationToken = default) =>
        Actor.Ask<GroupMembership>(GetMembership.Instance, _requestTimeout, cancellationToken);

    /// <summary>
    /// Tells the listener its partitions are revoked, commits the consumed positions (with
    /// enable-auto-commit), leaves the group and stops the actor.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var owned = Assignment;
        if (_listener is not null && owned.Count > 0)
        {
            await _listener.OnPartitionsRevokedAsync(owned.ToList()).ConfigureAwait(false);
        }
        try
        {
            await Actor.Ask<GroupConsumerClosed>(CloseGroupConsumer.Instance, _requestTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            Actor.Tell(PoisonPill.Instance);
        }
    }
}
