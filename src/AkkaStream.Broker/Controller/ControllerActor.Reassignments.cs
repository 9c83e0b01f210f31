using Akka.Actor;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Controller;

// Partition reassignment (see Reassignments): the request is answered once the new replicas are
// persisted; it ends when every target replica is in sync, which the controller checks after every
// ISR change and every change of the live brokers (and so once after it starts, with a recovered
// journal: a reassignment survives controller failover).
public sealed partial class ControllerActor
{
    // Partitions whose completion is persisted but not applied yet: never completed twice.
    private readonly HashSet<TopicPartition> _completing = [];

    private void Reassign(AlterPartitionReassignmentsRequest request)
    {
        if (request.Replicas is null)
        {
            CancelReassignment(request);
            return;
        }
        ReassignmentStarted? started;
        try
        {
            started = Reassignments.Start(request, _state, _live.Keys.ToHashSet());
        }
        catch (AkkaStreamException e)
        {
            Sender.Tell(AdminReplies.Failed(request, e.Code, e.Message));
            return;
        }
        var accepted = new AlterPartitionReassignmentsResponse(request.Topic, request.Partition, ErrorCode.None, null);
        if (started is null)
        {
            Sender.Tell(accepted);
            return;
        }
        var sender = Sender;
        Persist(started, e =>
        {
            _state.Apply(e);
            MaybeSnapshot();
            _events.Write(EventLine.Info("reassignment-started").Partition(e.Name, e.Partition.Partition).Epoch(e.Partition.LeaderEpoch)
                .With("target", e.Target).With("replicas", e.Partition.Replicas));
            Publish();
            sender.Tell(accepted);
            // A target within the ISR (fewer replicas) is done at once.
            CompleteReassignments();
        });
    }

    private void CancelReassignment(AlterPartitionReassignmentsRequest request)
    {
        var key = new TopicPartition(request.Topic, request.Partition);
        ReassignmentCancelled cancelled;
        try
        {
            // A completion already persisted wins: the partition is on its target by then.
            if (_completing.Contains(key)) throw new AkkaStreamException(ErrorCode.NoReassignmentInProgress, $"the reassignment of {key} is completing");
            cancelled = Reassignments.Cancel(request, _state, _live.Keys.ToHashSet());
        }
        catch (AkkaStreamException e)
        {
            Sender.Tell(AdminReplies.Failed(request, e.Code, e.Message));
            return;
        }
        var sender = Sender;
        Persist(cancelled, e =>
        {
            ApplyLeadership(e.Name, e.Partition, LeadershipEvents.ReassignmentCancelled, () => _state.Apply(e));
            MaybeSnapshot();
            Publish();
            sender.Tell(new AlterPartitionReassignmentsResponse(request.Topic, request.Partition, ErrorCode.None, null));
        });
    }

    /// <summary>Ends every reassignment whose target replicas are all in sync.</summary>
    private void CompleteReassignments()
    {
        var completions = Reassignments.Completions(_state, _live.Keys.ToHashSet())
            .Where(c => _completing.Add(new TopicPartition(c.Name, c.Partition.Partition)))
            .ToList();
        if (completions.Count == 0) return;
        PersistAll(completions, e =>
        {
            ApplyLeadership(e.Name, e.Partition, LeadershipEvents.Reassignment, () => _state.Apply(e));
            _completing.Remove(new TopicPartition(e.Name, e.Partition.Partition));
            MaybeSnapshot();
            if (ReferenceEquals(e, completions[^1])) Publish();
        });
    }
}
