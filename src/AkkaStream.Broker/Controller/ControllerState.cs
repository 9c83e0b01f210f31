using AkkaStream.Broker.Metadata;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// What the controller's journal adds up to: the cluster id, the controller epoch, every topic and
/// how far producer ids have been reserved.
/// Changed only by applying events. Not thread-safe; owned by the <see cref="ControllerActor"/>.
/// </summary>
public sealed class ControllerState
{
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);

    public string ClusterId { get; private set; } = "";

    public int ControllerEpoch { get; private set; }

    /// <summary>Every producer id below this one has been reserved (and may have been handed out).</summary>
    public long ProducerIdsReservedUpTo { get; private set; }

    public IReadOnlyDictionary<string, TopicState> Topics => _topics;

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
                break;
            case PartitionsCreated e when _topics.TryGetValue(e.Name, out var topic):
                _topics[e.Name] = topic with { Partitions = [.. topic.Partitions, .. e.Added] };
                break;
            case TopicConfigsChanged e when _topics.TryGetValue(e.Name, out var topic):
                _topics[e.Name] = topic with { Configs = e.Configs };
                break;
            case LeaderChanged e when _topics.TryGetValue(e.Name, out var topic):
                var partitions = topic.Partitions.ToArray();
                partitions[e.Partition.Partition] = e.Partition;
                _topics[e.Name] = topic with { Partitions = partitions };
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
                break;
        }
    }

    public ControllerSnapshot ToSnapshot() => new(ClusterId, ControllerEpoch, [.. _topics.Values], ProducerIdsReservedUpTo);
}
