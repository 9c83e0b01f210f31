using Akka.Event;
using Akka.Actor;
using AkkaStream.Client.Configuration;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups;

// Offsets: where newly assigned partitions start (their committed offsets, else auto-offset-reset),
// and commits: the application's, the periodic auto-commit, and those before a revocation and a close.
public sealed partial class GroupConsumerActor
{
    private enum CommitPurpose
    {
        Application,
        Auto,
        BeforeRevoke,
        BeforeClose,
    }

    private sealed record CommittedFetched(IReadOnlyList<TopicPartition> Partitions, object Answer);

    /// <summary>
    /// A commit and its answer (its request while it is in flight); <paramref name="Deadline"/> is
    /// when the commit gives up waiting for a rebalance to complete or the coordinator to be found.
    /// </summary>
    private sealed record CommitAnswered(
        CommitPurpose Purpose, IActorRef? ReplyTo, IReadOnlyDictionary<TopicPartition, long> Offsets, int Generation, DateTime Deadline, object Answer);

    /// <summary>The coordinator's answer to the commit sent as number <paramref name="Id"/> (see <see cref="_commitsInFlight"/>).</summary>
    private sealed record CommitReplied(int Id, object Answer);

    private sealed record AutoCommitDue
    {
        public static readonly AutoCommitDue Instance = new();
    }

    /// <summary>Assigned partitions whose starting offset is not known yet.</summary>
    private readonly HashSet<TopicPartition> _starting = [];
    private readonly Dictionary<TopicPartition, long> _autoCommitted = [];

    /// <summary>Commits refused because the group was completing a rebalance: sent again with the member's next generation.</summary>
    private readonly List<CommitAnswered> _deferredCommits = [];

    /// <summary>
    /// Commits that found no coordinator (it may be moving to another broker): sent again once the
    /// member finds it, within the commit's timeout, as Kafka's commitSync does.
    /// </summary>
    private readonly List<CommitAnswered> _commitsAwaitingCoordinator = [];

    /// <summary>
    /// Commits sent to the coordinator and not answered yet, by the number their answer carries;
    /// each holds its request where its answer will go. Kept so that a consumer stopping before
    /// the answers come still answers them (<see cref="FailWaitingCommits"/>).
    /// </summary>
    private readonly Dictionary<int, CommitAnswered> _commitsInFlight = [];
    private int _commitsSent;
    private bool _committedFetchInFlight;

    /// <summary>The consumed positions when the application last polled: records returned before that poll count as processed.</summary>
    private Dictionary<TopicPartition, long> _committable = [];

    private void ReceiveOffsets()
    {
        Receive<CommittedFetched>(OnCommittedFetched);
        Receive<CommitReplied>(replied =>
        {
            if (_commitsInFlight.Remove(replied.Id, out var sent))
            {
                OnCommitAnswered(sent with { Answer = replied.Answer });
            }
        });
        Receive<AutoCommitDue>(_ => AutoCommit());
    }

    private void FetchCommittedOffsets()
    {
        if (_committedFetchInFlight || _starting.Count == 0 || _coordinator is null)
        {
            return;
        }
        _committedFetchInFlight = true;
        var partitions = _starting.ToList();
        var request = new OffsetFetchRequest(_groupId, partitions.Select(tp => new TopicPartitionRef(tp.Topic, tp.Partition)).ToList());
        AskCoordinator(request, _settings.RequestTimeout, a => new CommittedFetched(partitions, a));
    }

    private void OnCommittedFetched(CommittedFetched fetched)
    {
        _committedFetchInFlight = false;
        var (error, message) = ErrorOf(fetched.Answer);
        if (error != ErrorCode.None || fetched.Answer is not OffsetFetchResponse response)
        {
            if (IsCoordinatorError(error))
            {
                _coordinator = null;
            }
            RetryLater(error, message);
            return;
        }
        var starts = new Dictionary<TopicPartition, long>();
        var reset = new List<TopicPartition>();
        var none = new List<TopicPartition>();
        foreach (var committed in response.Partitions)
        {
            var tp = new TopicPartition(committed.Topic, committed.Partition);
            if (!_starting.Contains(tp) || committed.Error != ErrorCode.None)
            {
                continue;
            }
            _starting.Remove(tp);
            if (committed.Offset >= 0)
            {
                starts[tp] = committed.Offset;
            }
            else if (_settings.Consumer.AutoOffsetReset == AutoOffsetReset.None)
            {
                none.Add(tp);
            }
            else
            {
                reset.Add(tp);
            }
        }
        _records.Activate(starts, reset);
        UpdateFetcher(starts);
        if (none.Count > 0)
        {
            ReportFailure(new AkkaStreamException(ErrorCode.OffsetOutOfRange,
                $"group {_groupId} has no committed offset for {string.Join(", ", none)} and auto-offset-reset is none"));
        }
        Proceed();
    }

    /// <summary>Commits what the application has processed (positions as of its last poll) when it moved since the last auto-commit.</summary>
    private void AutoCommit()
    {
        if (_generation < 0 || _step != Step.None || _closeReplyTo is not null)
        {
            return;
        }
        var changed = _committable
            .Where(kv => _owned.Contains(kv.Key) && (!_autoCommitted.TryGetValue(kv.Key, out var done) || done != kv.Value))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        if (changed.Count > 0)
        {
            Commit(changed, CommitPurpose.Auto, null);
        }
    }

    private void Commit(IReadOnlyDictionary<TopicPartition, long> offsets, CommitPurpose purpose, IActorRef? replyTo, DateTime? deadline = null)
    {
        var until = deadline ?? DateTime.UtcNow + _settings.RequestTimeout;
        if (offsets.Count == 0)
        {
            OnCommitAnswered(new CommitAnswered(purpose, replyTo, offsets, _generation, until, new OffsetCommitResponse(ErrorCode.None, null, [])));
            return;
        }
        if (_generation < 0 || _coordinator is null)
        {
            var refusal = _generation < 0
                ? new AkkaStreamException(ErrorCode.RebalanceInProgress, $"group {_groupId}: cannot commit now: the consumer is not a member of a generation (it is joining)")
                : new AkkaStreamException(ErrorCode.CoordinatorNotAvailable, $"group {_groupId}: cannot commit now: the group's coordinator is being looked up");
            OnCommitAnswered(new CommitAnswered(purpose, replyTo, offsets, _generation, until, refusal));
            return;
        }
        var request = new OffsetCommitRequest(_groupId, _generation, _memberId, InstanceId,
            offsets.Select(kv => new OffsetCommitPartition(kv.Key.Topic, kv.Key.Partition, kv.Value, -1, null)).ToList());
        var id = ++_commitsSent;
        _commitsInFlight[id] = new CommitAnswered(purpose, replyTo, offsets, _generation, until, request);
        AskCoordinator(request, _settings.RequestTimeout, a => new CommitReplied(id, a));
    }

    private void OnCommitAnswered(CommitAnswered answered)
    {
        var (error, message) = ErrorOf(answered.Answer);
        if (error == ErrorCode.None && answered.Answer is OffsetCommitResponse response
            && response.Partitions.FirstOrDefault(p => p.Error != ErrorCode.None) is { } failed)
        {
            (error, message) = (failed.Error, $"{failed.Topic}-{failed.Partition}: {failed.Error}");
        }
        if (error is ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId && _step is Step.Joining or Step.Syncing)
        {
            // The commit raced with this member's own rejoin: the coordinator moved to the generation
            // the member is joining. Kafka's consumer takes that as a rebalance in progress too, not as
            // being fenced (the join's answer says whether the member still belongs).
            error = ErrorCode.RebalanceInProgress;
        }
        if (IsCoordinatorError(error) && answered.Purpose is not (CommitPurpose.Auto or CommitPurpose.BeforeClose) && DateTime.UtcNow < answered.Deadline)
        {
            // The coordinator moved or is moving (its broker crashed, say): find it again and retry,
            // rather than fail a commit the application is waiting for. Closing does not wait, since
            // a closing member no longer looks the coordinator up.
            _commitsAwaitingCoordinator.Add(answered);
            _coordinator = null;
            Proceed();
            return;
        }
        if (error == ErrorCode.RebalanceInProgress && answered.Purpose != CommitPurpose.Auto && DateTime.UtcNow < answered.Deadline)
        {
            // The member keeps these partitions through the rebalance unless it revokes them, and
            // may commit them in its next generation (a revocation waits for such a commit).
            _deferredCommits.Add(answered);
            return;
        }
        FinishCommit(answered, error, message);
    }

    /// <summary>Sends the deferred commits again now that the member has a new generation; those of partitions it no longer owns fail.</summary>
    private void ResendDeferredCommits()
    {
        var deferred = _deferredCommits.ToList();
        _deferredCommits.Clear();
        foreach (var commit in deferred)
        {
            if (commit.Offsets.Keys.All(_owned.Contains))
            {
                Commit(commit.Offsets, commit.Purpose, commit.ReplyTo, commit.Deadline);
            }
            else
            {
                FinishCommit(commit, ErrorCode.IllegalGeneration, "a rebalance assigned some of these partitions to other members meanwhile");
            }
        }
    }

    /// <summary>Sends the commits that found no coordinator again, now that the member has found it.</summary>
    private void ResendCommitsAwaitingCoordinator()
    {
        var waiting = _commitsAwaitingCoordinator.ToList();
        _commitsAwaitingCoordinator.Clear();
        foreach (var commit in waiting)
        {
            Commit(commit.Offsets, commit.Purpose, commit.ReplyTo, commit.Deadline);
        }
    }

    private void ExpireDeferredCommits()
    {
        foreach (var commit in _commitsAwaitingCoordinator.Where(c => c.Deadline <= DateTime.UtcNow).ToList())
        {
            _commitsAwaitingCoordinator.Remove(commit);
            FinishCommit(commit, ErrorCode.CoordinatorNotAvailable, "the group's coordinator was not found before the commit timed out");
        }
        foreach (var commit in _deferredCommits.Where(c => c.Deadline <= DateTime.UtcNow).ToList())
        {
            _deferredCommits.Remove(commit);
            FinishCommit(commit, ErrorCode.RebalanceInProgress, "the group was still rebalancing when the commit timed out");
        }
    }

    /// <summary>
    /// The consumer stops: every commit still waiting is answered now, since its answer would
    /// otherwise reach a stopped actor and the application would wait out its own timeout. Each
    /// fails with the retriable error of what it waited for, as Kafka's clients fail a closed
    /// consumer's pending commits: the coordinator's answer (RequestTimedOut: the commit may or may
    /// not have been written), the coordinator being found (CoordinatorNotAvailable), the group's
    /// rebalance (RebalanceInProgress).
    /// </summary>
    private void FailWaitingCommits()
    {
        var waiting = _commitsInFlight.Values.Select(c => (c, ErrorCode.RequestTimedOut, "before the coordinator answered; the commit may or may not have been written"))
            .Concat(_commitsAwaitingCoordinator.Select(c => (c, ErrorCode.CoordinatorNotAvailable, "before it found the group's coordinator")))
            .Concat(_deferredCommits.Select(c => (c, ErrorCode.RebalanceInProgress, "while the group was rebalancing")));
        foreach (var (commit, error, when) in waiting)
        {
            commit.ReplyTo?.Tell(new Status.Failure(new AkkaStreamException(error, $"group {_groupId}: commit failed: the consumer closed {when}")));
        }
        _commitsInFlight.Clear();
        _commitsAwaitingCoordinator.Clear();
        _deferredCommits.Clear();
    }

    private void FinishCommit(CommitAnswered answered, ErrorCode error, string? message)
    {
        if (error == ErrorCode.None)
        {
            if (answered.Purpose is CommitPurpose.Auto or CommitPurpose.BeforeRevoke or CommitPurpose.BeforeClose)
            {
                foreach (var (tp, offset) in answered.Offsets)
                {
                    _autoCommitted[tp] = offset;
                }
            }
            answered.ReplyTo?.Tell(new OffsetsCommitted(answered.Offsets));
        }
        else
        {
            var failure = new AkkaStreamException(error, $"group {_groupId}: commit failed: {message ?? error.ToString()}");
            if (answered.ReplyTo is null)
            {
                _log.Warning("{0}", failure.Message);
            }
            answered.ReplyTo?.Tell(new Status.Failure(failure));
            if (error is ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId && answered.Generation == _generation && _generation >= 0)
            {
                Fenced(error);
            }
            else if (IsCoordinatorError(error) && _coordinator is not null)
            {
                _coordinator = null;
                Proceed();
            }
        }
        switch (answered.Purpose)
        {
            case CommitPurpose.BeforeRevoke:
                CompleteRevoke();
                break;
            case CommitPurpose.BeforeClose:
                LeaveAndStop();
                break;
        }
    }
}
