using Akka.Actor;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// One round trip of a follower's fetch session, on the leader broker: asks each partition's
/// leader entity (through the local shard region) for the follower's next records, then answers
/// the follower once — at once when <see cref="ReplicaFetchRequest.MinBytes"/> are there or a
/// partition needs the follower's attention (an error, a divergence), otherwise when an entity
/// reports new records (that partition is fetched again) or after the request's wait. The
/// response holds at most <see cref="ReplicaFetchRequest.MaxBytes"/> of records; partitions past
/// that budget are answered without records and fetched next round. Stops after answering.
/// </summary>
/// <remarks>
/// Owns only its round. A partition this broker does not lead in the follower's epoch (by the
/// node's metadata) is answered without troubling an entity, so a stray fetch never starts one.
/// </remarks>
public sealed class ReplicaFetchRound : ReceiveActor, IWithTimers
{
    private sealed record WaitOver
    {
        public static readonly WaitOver Instance = new();
    }

    private readonly ReplicaFetchRequest _request;
    private readonly IActorRef _follower;
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly IActorRef _region;
    private readonly Dictionary<TopicPartition, ReplicaPartitionData> _answers = [];
    private readonly Dictionary<TopicPartition, ReplicaFetchPartition> _fetches = [];
    private readonly HashSet<TopicPartition> _asked = [];

    public ReplicaFetchRound(ReplicaFetchRequest request, IActorRef follower, int selfBroker, MetadataView metadata, IActorRef region)
    {
        _request = request;
        _follower = follower;
        _selfBroker = selfBroker;
        _metadata = metadata;
        _region = region;
        Receive<ReplicaPartitionData>(Answered);
        Receive<PartitionEntity.RecordsAppended>(e =>
        {
            if (_fetches.TryGetValue(e.Partition, out var fetch) && _answers.ContainsKey(e.Partition) && !_asked.Contains(e.Partition)) Ask(fetch);
        });
        Receive<WaitOver>(_ => Reply());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaFetchRequest request, IActorRef follower, int selfBroker, MetadataView metadata, IActorRef region) =>
        Akka.Actor.Props.Create(() => new ReplicaFetchRound(request, follower, selfBroker, metadata, region));

    protected override void PreStart()
    {
        var snapshot = _metadata.Current;
        foreach (var fetch in _request.Partitions)
        {
            _fetches[fetch.Partition] = fetch with { MaxBytes = Math.Min(fetch.MaxBytes, _request.MaxBytes) };
            if (Refusal(snapshot, fetch) is { } refused)
            {
                _answers[fetch.Partition] = refused;
                continue;
            }
            Ask(_fetches[fetch.Partition]);
        }
        // Entities that do not answer in time (one may still be starting) are reported unavailable.
        Timers.StartSingleTimer(nameof(WaitOver), WaitOver.Instance, TimeSpan.FromMilliseconds(Math.Max(1, _request.MaxWaitMs)));
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

    /// <summary>Asks the entity; an earlier (empty) answer stands until the new one arrives.</summary>
    private void Ask(ReplicaFetchPartition fetch)
    {
        _asked.Add(fetch.Partition);
        var entityId = new PartitionEntityId(fetch.Partition, fetch.LeaderEpoch, _selfBroker).ToString();
        _region.Tell(new PartitionEnvelope(entityId, new PartitionEntity.ReplicaFetch(_request.FollowerBroker, fetch, _request.MinBytes)));
    }

    private void Answered(ReplicaPartitionData data)
    {
        if (!_asked.Remove(data.Partition)) return;
        _answers[data.Partition] = data;
        MaybeReply();
    }

    private void MaybeReply()
    {
        // Entities answer at once (only one still starting is slow), so waiting for every answer
        // costs little, and no answer is left to arrive at a round that is gone.
        if (_asked.Count > 0)
        {
            return;
        }
        if (Worth() || _request.MaxWaitMs <= 0)
        {
            Reply();
        }
        // Otherwise wait: for a RecordsAppended (that partition is asked again) or the end of the wait.
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
        return bytes >= Math.Max(1, _request.MinBytes);
    }

    private void Reply()
    {
        var partitions = new List<ReplicaPartitionData>(_request.Partitions.Count);
        long budget = _request.MaxBytes;
        foreach (var fetch in _request.Partitions)
        {
            var answer = _answers.GetValueOrDefault(fetch.Partition)
                ?? ReplicaPartitionData.Failed(fetch.Partition, ErrorCode.LeaderNotAvailable, $"the leader of {fetch.Partition} did not answer in time");
            if (answer.Records.Length > 0)
            {
                // The first records always go, whatever their size, so that a large batch never blocks a follower.
                if (answer.Records.Length > budget && budget < _request.MaxBytes)
                {
                    answer = answer with { Records = [] };
                }
                budget -= answer.Records.Length;
            }
            partitions.Add(answer);
        }
        _follower.Tell(new ReplicaFetchResponse(_request.Round, partitions));
        Context.Stop(Self);
    }
}
