using AkkaStream.Broker.Metadata;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// What the controller's journal adds up to: the cluster id, the controller epoch, every topic, the
/// reassignments in progress and how far producer ids have been reserved.
/// Changed only by applying events. Not thread-safe; owned by the <see cref="ControllerActor"/>.
/// </summary>
public sealed class ControllerState
{
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, IReadOnlyList<int>> _reassignments = [];
    private readonly Dictionary<TopicPartition, IReadOnlyList<int>> _originalReplicas = [];

    public string ClusterId { get; private set; } = "";

    public int ControllerEpoch { get; private set; }

    /// <summary>Every producer id below this one has been reserved (and may have been handed out).</summary>
    public long ProducerIdsReservedUpTo { get; private set; }

    public IReadOnlyDictionary<string, TopicState> Topics => _topics;

    /// <summary>The target replicas of each partition being reassigned.</summary>
    public IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>> Reassignments => _reassignments;

    /// <summary>
    /// The replicas each partition being reassigned had before its first target (a new target
    /// keeps them): what a cancel restores. Missing for reassignments recovered from a snapshot
    /// older than cancelling.
    /// </summary>
    public IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>> OriginalReplicas => _originalReplicas;

    public void Apply(object @event)
    {
        switch (@event)
        {
            case ControllerEpochStarted e:
                ControllerEpoch = e.Epoch;
                ClusterId = e.ClusterId;
                break;
            case TopicCreated e:
                _topics[e.Topic.Name] = e.Topic;
                break;
            case TopicDeleted e:
                _topics.Remove(e.Name);
                foreach (var partition in _reassignments.Keys.Where(p => p.Topic == e.Name).ToList()) EndReassignment(partition);
                break;
            case PartitionsCreated e when _topics.TryGetValue(e.Name, out var topic):
                _topics[e.Name] = topic with { Partitions = [.. topic.Partitions, .. e.Added] };
                break;
            case TopicConfigsChanged e when _topics.TryGetValue(e.Name, out var topic):
                _topics[e.Name] = topic with { Configs = e.Configs };
                break;
            case LeaderChanged e:
                Replace(e.Name, e.Partition);
                break;
            case ReassignmentStarted e when _topics.TryGetValue(e.Name, out var topic):
                var key = new TopicPartition(e.Name, e.Partition.Partition);
                // The replicas before the event are the original ones, unless a reassignment was already under way.
                if (!_reassignments.ContainsKey(key)) _originalReplicas[key] = topic.Partitions[e.Partition.Partition].Replicas;
                Replace(e.Name, e.Partition);
                _reassignments[key] = e.Target;
                break;
            case ReassignmentCompleted e:
                Replace(e.Name, e.Partition);
                EndReassignment(new TopicPartition(e.Name, e.Partition.Partition));
                break;
            case ReassignmentCancelled e:
                Replace(e.Name, e.Partition);
                EndReassignment(new TopicPartition(e.Name, e.Partition.Partition));
                break;
            case ProducerIdsReserved e:
                ProducerIdsReservedUpTo = Math.Max(ProducerIdsReservedUpTo, e.UpTo);
                break;
            case ControllerSnapshot s:
                ClusterId = s.ClusterId;
                ControllerEpoch = s.ControllerEpoch;
                ProducerIdsReservedUpTo = s.ProducerIdsReservedUpTo;
                _topics.Clear();
                foreach (var topic in s.Topics) _topics[topic.Name] = topic;
                _reassignments.Clear();
                _originalReplicas.Clear();
                foreach (var r in s.Reassignments ?? [])
                {
                    _reassignments[new TopicPartition(r.Topic, r.Partition)] = r.Target;
                    if (r.Original is not null) _originalReplicas[new TopicPartition(r.Topic, r.Partition)] = r.Original;
                }
                break;
        }
    }

    public ControllerSnapshot ToSnapshot() => new(ClusterId, ControllerEpoch, [.. _topics.Values], ProducerIdsReservedUpTo,
        [.. _reassignments.Select(kv => new PartitionReassignment(kv.Key.Topic, kv.Key.Partition, kv.Value, _originalReplicas.GetValueOrDefault(kv.Key)))]);

    private void EndReassignment(TopicPartition partition)
    {
        _reassignments.Remove(partition);
        _originalReplicas.Remove(partition);
    }

    private void Replace(string topicName, PartitionState partition)
    {
        if (!_topics.TryGetValue(topicName, out var topic)) return;
        var partitions = topic.Partitions.ToArray();
        partitions[partition.Partition] = partition;
        _topics[topicName] = topic with { Partitions = partitions };
    }
}
