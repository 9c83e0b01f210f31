using Akka.Actor;
using Akka.Event;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Internal;
using AkkaStream.Client.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Consumer;

/// <summary>
/// The consumer of manually assigned partitions. Owns each partition's position and its buffer of
/// fetched records. One fetch per partition is in flight at a time, and the next one leaves as
/// soon as fewer records are buffered than the last fetch brought (and than max-poll-records):
/// one fetch ahead of the application, so the next answer is on its way while the application
/// handles the last one, and at most about two fetches' worth is buffered.
/// A partition without a position (or whose position fell out of range) looks one up with
/// ListOffsets as auto.offset.reset says; with "none" the next <see cref="Poll"/> fails.
/// </summary>
public sealed class ConsumerActor : ReceiveActor, IWithTimers
{
    private sealed record FetchAnswered(TopicPartition Partition, int Generation, long FetchOffset, object Answer);

    private sealed record OffsetAnswered(TopicPartition Partition, int Generation, object Answer);

    private sealed record RetryDue(TopicPartition Partition);

    private sealed record PollExpired(IActorRef ReplyTo);

    private sealed record ParkedPoll(IActorRef ReplyTo, int MaxRecords);

    private readonly ClientSettings _settings;
    private readonly ConsumerSettings _consumer;
    private readonly IActorRef _metadata;
    private readonly GatewayRefs _gateways;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<TopicPartition, PartitionFetchState> _partitions = [];
    private ClusterSnapshot? _snapshot;
    private ParkedPoll? _parked;
    private AkkaStreamException? _failure;
    private int _rotation;

    public ConsumerActor(ClientSettings settings, IActorRef metadata)
    {
        _settings = settings;
        _consumer = settings.Consumer;
        _metadata = metadata;
        _gateways = new GatewayRefs(Context.System);
        Receive<ClusterSnapshot>(s =>
        {
            _snapshot = s;
            FetchAll();
        });
        Receive<Assign>(OnAssign);
        Receive<Seek>(m => WithPartition(m.Partition, p => p.MoveTo(m.Offset)));
        Receive<SeekToBeginning>(m => m.Partitions.ToList().ForEach(tp => WithPartition(tp, p => p.ResetBy(ListOffsetsRequest.Earliest))));
        Receive<SeekToEnd>(m => m.Partitions.ToList().ForEach(tp => WithPartition(tp, p => p.ResetBy(ListOffsetsRequest.Latest))));
        Receive<Poll>(OnPoll);
        Receive<PollExpired>(m =>
        {
            if (_parked is not null && _parked.ReplyTo.Equals(m.ReplyTo)) ReleaseParkedPoll();
        });
        Receive<CancelPoll>(_ => ReleaseParkedPoll());
        Receive<GetPositions>(_ => Sender.Tell(new Positions(_partitions.Values
            .Where(p => p.Position is not null)
            .ToDictionary(p => p.Partition, p => p.Position!.Value))));
        Receive<FetchAnswered>(OnFetchAnswered);
        Receive<OffsetAnswered>(OnOffsetAnswered);
        Receive<RetryDue>(m =>
        {
            if (_partitions.TryGetValue(m.Partition, out var p))
            {
                TryFetch(p);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClientSettings settings, IActorRef metadata) =>
        Akka.Actor.Props.Create(() => new ConsumerActor(settings, metadata));

    protected override void PreStart() => _metadata.Tell(new MetadataActor.Subscribe(Self));

    protected override void PostStop() => _metadata.Tell(new MetadataActor.Unsubscribe(Self));

    private long ResetTimestamp() => _consumer.AutoOffsetReset == AutoOffsetReset.Earliest ? ListOffsetsRequest.Earliest : ListOffsetsRequest.Latest;

    private void OnAssign(Assign assign)
    {
        var wanted = assign.Partitions.ToHashSet();
        foreach (var tp in _partitions.Keys.Where(tp => !wanted.Contains(tp)).ToList())
        {
            _partitions.Remove(tp);
        }
        foreach (var tp in wanted)
        {
            if (!_partitions.ContainsKey(tp))
            {
                var state = new PartitionFetchState(tp);
                if (assign.StartOffsets is not null && assign.StartOffsets.TryGetValue(tp, out var start))
                {
                    state.MoveTo(start);
                }
                else if (_consumer.AutoOffsetReset != AutoOffsetReset.None)
                {
                    state.ResetBy(ResetTimestamp());
                }
                _partitions[tp] = state;
            }
        }
        FetchAll();
    }

    private void WithPartition(TopicPartition tp, Action<PartitionFetchState> change)
    {
        if (!_partitions.TryGetValue(tp, out var state))
        {
            Sender.Tell(new Status.Failure(new AkkaStreamException(ErrorCode.UnknownTopicOrPartition, $"{tp} is not assigned to this consumer")));
            return;
        }
        change(state);
        TryFetch(state);
    }

    private void OnPoll(Poll poll)
    {
        if (_failure is not null)
        {
            Sender.Tell(new Status.Failure(_failure));
            _failure = null;
            return;
        }
        var none = _partitions.Values.FirstOrDefault(p => p.Position is null && p.ResetTo is null);
        if (none is not null)
        {
            Sender.Tell(new Status.Failure(new AkkaStreamException(ErrorCode.OffsetOutOfRange,
                $"{none.Partition} has no position and auto.offset.reset is none: Seek first")));
            return;
        }
        var max = Math.Min(poll.MaxRecords, _consumer.MaxPollRecords);
        if (HasBuffered())
        {
            Sender.Tell(Drain(max));
            return;
        }
        _parked?.ReplyTo.Tell(PollResult.Empty);
        _parked = new ParkedPoll(Sender, max);
        Timers.StartSingleTimer("poll", new PollExpired(Sender), poll.Timeout);
    }

    /// <summary>Answers the waiting poll, if any, with nothing.</summary>
    private void ReleaseParkedPoll()
    {
        if (_parked is null) return;
        Timers.Cancel("poll");
        _parked.ReplyTo.Tell(PollResult.Empty);
        _parked = null;
    }

    private bool HasBuffered() => _partitions.Values.Any(p => p.Buffer.Count > 0);

    /// <summary>Hands out buffered records, rotating the partition taken first so none starves.</summary>
    private PollResult Drain(int max)
    {
        var result = new List<ConsumeRecord>(Math.Min(max, _partitions.Values.Sum(p => p.Buffer.Count)));
        var states = _partitions.Values.ToList();
        for (var i = 0; i < states.Count && result.Count < max; i++)
        {
            var state = states[(i + _rotation) % states.Count];
            while (state.Buffer.Count > 0 && result.Count < max)
            {
                var record = state.Buffer.Dequeue();
                result.Add(record);
                state.Position = record.Offset + 1;
            }
        }
        _rotation++;
        FetchAll();
        return new PollResult(result);
    }

    private void FetchAll()
    {
        foreach (var state in _partitions.Values)
        {
            TryFetch(state);
        }
    }

    private void TryFetch(PartitionFetchState state)
    {
        if (state.InFlight || _snapshot is null || _snapshot.Generation < state.AwaitMetadata || DateTime.UtcNow < state.RetryNotBefore)
        {
            return;
        }
        if (state.ResetTo is null && (state.Position is null || state.Buffer.Count >= Math.Max(_consumer.MaxPollRecords, state.LastFetchRecords)))
        {
            return;
        }
        var tp = state.Partition;
        var leader = _snapshot.TryGetLeader(tp, out var gateway, out var epoch);
        if (leader != ErrorCode.None)
        {
            Retry(state, leader, $"no leader for {tp}");
            return;
        }
        var generation = state.Generation;
        state.InFlightGeneration = generation;
        var target = _gateways.For(gateway);
        if (state.ResetTo is { } timestamp)
        {
            target.Ask<object>(new ListOffsetsRequest(tp.Topic, tp.Partition, timestamp, epoch), _settings.RequestTimeout)
                .PipeTo(Self, success: a => new OffsetAnswered(tp, generation, a), failure: e => new OffsetAnswered(tp, generation, e));
            return;
        }
        var offset = state.FetchOffset;
        var request = new FetchRequest(tp.Topic, tp.Partition, offset, _consumer.MaxPartitionFetchBytes,
            (int)_consumer.FetchMaxWait.TotalMilliseconds, _consumer.FetchMinBytes, epoch);
        // The leader may hold the fetch for fetch-max-wait before it answers.
        target.Ask<object>(request, _settings.RequestTimeout + _consumer.FetchMaxWait)
            .PipeTo(Self, success: a => new FetchAnswered(tp, generation, offset, a), failure: e => new FetchAnswered(tp, generation, offset, e));
    }

    private void OnFetchAnswered(FetchAnswered answered)
    {
        if (!TakeCurrentAnswer(answered.Partition, answered.Generation, out var state))
        {
            return;
        }
        var (error, message) = ErrorOf(answered.Answer);
        if (error == ErrorCode.None && answered.Answer is FetchResponse response)
        {
            state.Failures = 0;
            var records = new List<ConsumeRecord>();
            try
            {
                state.FetchOffset = FetchDecoder.Decode(response.Topic, response.Partition, response.Records, answered.FetchOffset, _consumer.CheckCrcs, records);
            }
            catch (CorruptRecordException e)
            {
                Fail(e);
                return;
            }
            foreach (var record in records)
            {
                state.Buffer.Enqueue(record);
            }
            state.LastFetchRecords = records.Count;
            if (_parked is not null && HasBuffered())
            {
                var parked = _parked;
                _parked = null;
                Timers.Cancel("poll");
                parked.ReplyTo.Tell(Drain(parked.MaxRecords));
            }
            TryFetch(state);
            return;
        }
        if (error == ErrorCode.OffsetOutOfRange)
        {
            if (_consumer.AutoOffsetReset == AutoOffsetReset.None)
            {
                state.Position = null;
                Fail(new AkkaStreamException(error, $"{state.Partition}: offset {answered.FetchOffset} is out of range and auto.offset.reset is none"));
                return;
            }
            _log.Info("{0}: offset {1} is out of range; resetting to the {2} offset", state.Partition, answered.FetchOffset, _consumer.AutoOffsetReset);
            state.ResetBy(ResetTimestamp());
            TryFetch(state);
            return;
        }
        HandleError(state, error, message);
    }

    private void OnOffsetAnswered(OffsetAnswered answered)
    {
        if (!TakeCurrentAnswer(answered.Partition, answered.Generation, out var state))
        {
            return;
        }
        var (error, message) = ErrorOf(answered.Answer);
        if (error == ErrorCode.None && answered.Answer is ListOffsetsResponse response)
        {
            state.Failures = 0;
            state.MoveTo(response.Offset);
            TryFetch(state);
            return;
        }
        HandleError(state, error, message);
    }

    /// <summary>
    /// Marks the partition's request as answered. False when the answer is for a partition no longer
    /// assigned, for an older position (the application seeked meanwhile: the partition fetches
    /// again from its new position), or for a request of an earlier assignment of the partition
    /// (its current request stays in flight); the answer is then dropped.
    /// </summary>
    private bool TakeCurrentAnswer(TopicPartition partition, int generation, out PartitionFetchState state)
    {
        if (!_partitions.TryGetValue(partition, out state!))
        {
            return false;
        }
        if (generation == state.InFlightGeneration)
        {
            state.InFlightGeneration = null;
        }
        if (generation != state.Generation)
        {
            TryFetch(state);
            return false;
        }
        return true;
    }

    private void HandleError(PartitionFetchState state, ErrorCode error, string? message)
    {
        if (RetriableErrors.IsRetriable(error))
        {
            Retry(state, error, message);
        }
        else
        {
            Fail(new AkkaStreamException(error, $"{state.Partition}: {message ?? error.ToString()}"));
        }
    }

    private void Retry(PartitionFetchState state, ErrorCode error, string? message)
    {
        state.Failures++;
        _log.Debug("{0}: {1} ({2}); retrying", state.Partition, error, message);
        var backoff = _settings.BackoffFor(state.Failures);
        state.RetryNotBefore = DateTime.UtcNow + backoff;
        Timers.StartSingleTimer(("retry", state.Partition), new RetryDue(state.Partition), backoff);
        if (RetriableErrors.InvalidatesMetadata(error) && _snapshot is not null)
        {
            state.AwaitMetadata = _snapshot.Generation + 1;
            _metadata.Tell(MetadataActor.Refresh.Instance);
        }
    }

    /// <summary>Reports the error to the waiting poll, or to the next one.</summary>
    private void Fail(AkkaStreamException error)
    {
        if (_parked is not null)
        {
            Timers.Cancel("poll");
            _parked.ReplyTo.Tell(new Status.Failure(error));
            _parked = null;
        }
        else
        {
            _failure = error;
        }
    }

    private (ErrorCode Error, string? Message) ErrorOf(object answer) => ReplyErrors.Of(answer, _settings.RequestTimeout);
}
