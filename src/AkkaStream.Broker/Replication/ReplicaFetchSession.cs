using Akka.Actor;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// One follower broker's fetch session, on the leader broker: for each round trip (a
/// <see cref="ReplicaFetchRequest"/>) it asks each partition's leader entity for the follower's
/// next records, then answers the follower once — at once when
/// <see cref="ReplicaFetchRequest.MinBytes"/> are there or a partition needs the follower's
/// attention (an error, a divergence), otherwise when an entity sends the records an append
/// brought, or after the request's wait. The response holds at most
/// <see cref="ReplicaFetchRequest.MaxBytes"/> of records; partitions past that budget are answered
/// without records and fetched next round.
/// </summary>
/// <remarks>
/// One round at a time: a new request (the follower gave up on the last, or the last was
/// answered) starts the next, and answers to an earlier one are dropped by their round number,
/// which is this session's own. The latest request is always the one to answer: a follower broker
/// has one fetcher per leader broker (its <see cref="ReplicaManager"/> stops the old before it
/// starts a new one, and their requests arrive in the order sent). A partition this broker does
/// not lead in the follower's epoch (by the node's metadata) is answered without troubling an
/// entity, so a stray fetch never starts one.
/// Entities are reached through the shard region until one answers, then directly (it is watched,
/// and forgotten when it stops): a round trip costs a few actor messages, not a dozen.
/// </remarks>
public sealed class ReplicaFetchSession : ReceiveActor, IWithTimers
{
    private sealed record WaitOver(long Round);

    /// <summary>A partition of the round in flight: what its leader entity is asked, and that entity's id.</summary>
    private sealed record RoundFetch(ReplicaFetchPartition Fetch, string EntityId);

    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly IActorRef _region;
    private readonly Dictionary<TopicPartition, ReplicaPartitionData> _answers = [];
    private readonly Dictionary<TopicPartition, RoundFetch> _fetches = [];
    private readonly HashSet<TopicPartition> _asked = [];
    // The leader entities that answered, by entity id; watched.
    private readonly Dictionary<string, IActorRef> _entities = [];
    private ReplicaFetchRequest? _request;
    private IActorRef _follower = ActorRefs.Nobody;
    private long _round;

    public ReplicaFetchSession(int selfBroker, MetadataView metadata, IActorRef region)
    {
        _selfBroker = selfBroker;
        _metadata = metadata;
        _region = region;
        Receive<ReplicaFetchRequest>(Begin);
        Receive<PartitionEntity.ReplicaFetched>(Answered);
        Receive<WaitOver>(w =>
        {
            if (w.Round == _round && _request is not null) Reply();
        });
        Receive<Terminated>(t => Forget(t.ActorRef));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int selfBroker, MetadataView metadata, IActorRef region) =>
        Akka.Actor.Props.Create(() => new ReplicaFetchSession(selfBroker, metadata, region));

    private void Begin(ReplicaFetchRequest request)
    {
        _round++;
        _request = request;
        _follower = Sender;
        _answers.Clear();
        _fetches.Clear();
        _asked.Clear();
        var snapshot = _metadata.Current;
        foreach (var fetch in request.Partitions)
        {
            if (Refusal(snapshot, fetch) is { } refused)
            {
                _answers[fetch.Partition] = refused;
                continue;
            }
            var asked = new RoundFetch(fetch with { MaxBytes = Math.Min(fetch.MaxBytes, request.MaxBytes) },
                new PartitionEntityId(fetch.Partition, fetch.LeaderEpoch, _selfBroker).ToString());
            _fetches[fetch.Partition] = asked;
            Ask(asked);
        }
        // Entities that do not answer in time (one may still be starting) are reported unavailable.
        Timers.StartSingleTimer(nameof(WaitOver), new WaitOver(_round), TimeSpan.FromMilliseconds(Math.Max(1, request.MaxWaitMs)));
        MaybeReply();
    }

    private ReplicaPartitionData? Refusal(MetadataSnapshot snapshot, ReplicaFetchPartition fetch)
    {
        var partition = snapshot.Partition(fetch.Partition.Topic, fetch.Partition.Partition);
        if (partition is null)
        {
            return ReplicaPartitionData.Failed(fetch.Partition, ErrorCode.UnknownTopicOrPartition, $"{fetch.Partition} is not in broker {_selfBroker}'s metadata");
        }
        if (fetch.LeaderEpoch < partition.LeaderEpoch)
        {
            return ReplicaPartitionData.Failed(fetch.Partition, ErrorCode.FencedLeaderEpoch,
                $"leader epoch {fetch.LeaderEpoch} of {fetch.Partition} is older than {partition.LeaderEpoch}");
        }
        if (fetch.LeaderEpoch > partition.LeaderEpoch)
        {
            return ReplicaPartitionData.Failed(fetch.Partition, ErrorCode.UnknownLeaderEpoch,
                $"broker {_selfBroker} does not know leader epoch {fetch.LeaderEpoch} of {fetch.Partition} yet");
        }
        return partition.Leader == _selfBroker
            ? null
            : ReplicaPartitionData.Failed(fetch.Partition, ErrorCode.NotLeaderOrFollower,
                $"broker {_selfBroker} does not lead {fetch.Partition} in epoch {fetch.LeaderEpoch}");
    }

    private void Ask(RoundFetch asked)
    {
        _asked.Add(asked.Fetch.Partition);
        var ask = new PartitionEntity.ReplicaFetch(_request!.FollowerBroker, asked.Fetch, _request.MinBytes, _round);
        if (_entities.TryGetValue(asked.EntityId, out var entity)) entity.Tell(ask);
        else _region.Tell(new PartitionEnvelope(asked.EntityId, ask));
    }

    private void Answered(PartitionEntity.ReplicaFetched answer)
    {
        if (answer.Round != _round || _request is null || !_fetches.TryGetValue(answer.Data.Partition, out var asked)) return;
        Remember(asked.EntityId, Sender);
        // An asked partition's answer, or the records an append brought to one whose answer was short.
        if (!_asked.Remove(answer.Data.Partition) && !_answers.ContainsKey(answer.Data.Partition)) return;
        _answers[answer.Data.Partition] = answer.Data;
        MaybeReply();
    }

    private void Remember(string entityId, IActorRef entity)
    {
        if (entity.IsNobody() || _entities.ContainsKey(entityId)) return;
        _entities[entityId] = entity;
        Context.Watch(entity);
    }

    /// <summary>A stopped entity is reached through the region again; what this round asked of it is asked again.</summary>
    private void Forget(IActorRef entity)
    {
        foreach (var (entityId, _) in _entities.Where(e => e.Value.Equals(entity)).ToList())
        {
            _entities.Remove(entityId);
        }
        if (_request is null) return;
        foreach (var asked in _fetches.Values)
        {
            if (_asked.Contains(asked.Fetch.Partition) && !_entities.ContainsKey(asked.EntityId)) Ask(asked);
        }
    }

    private void MaybeReply()
    {
        // Entities answer at once (only one still starting is slow), so waiting for every answer
        // costs little, and the round's answers are all from the same moment.
        if (_asked.Count > 0)
        {
            return;
        }
        if (Worth() || _request!.MaxWaitMs <= 0)
        {
            Reply();
        }
        // Otherwise wait: for an entity to send what an append brought, or for the end of the wait.
    }

    /// <summary>Whether the follower should hear now: enough bytes, or something it must act on.</summary>
    private bool Worth()
    {
        long bytes = 0;
        foreach (var answer in _answers.Values)
        {
            if (answer.Error != ErrorCode.None || answer.IsDiverging) return true;
            bytes += answer.Records.Length;
        }
        return bytes >= Math.Max(1, _request!.MinBytes);
    }

    private void Reply()
    {
        var request = _request!;
        var partitions = new List<ReplicaPartitionData>(request.Partitions.Count);
        long budget = request.MaxBytes;
        foreach (var fetch in request.Partitions)
        {
            var answer = _answers.GetValueOrDefault(fetch.Partition)
                ?? ReplicaPartitionData.Failed(fetch.Partition, ErrorCode.LeaderNotAvailable, $"the leader of {fetch.Partition} did not answer in time");
            if (answer.Records.Length > 0)
            {
                // The first records always go, whatever their size, so that a large batch never blocks a follower.
                if (answer.Records.Length > budget && budget < request.MaxBytes)
                {
                    answer = answer with { Records = [] };
                }
                budget -= answer.Records.Length;
            }
            partitions.Add(answer);
        }
        _follower.Tell(new ReplicaFetchResponse(request.Round, partitions));
        Timers.Cancel(nameof(WaitOver));
        _request = null;
        _follower = ActorRefs.Nobody;
    }
}
