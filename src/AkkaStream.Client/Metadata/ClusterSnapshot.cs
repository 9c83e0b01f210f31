using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Metadata;

/// <summary>
/// The cluster's metadata as one broker last described it, indexed for the client's look-ups.
/// <see cref="Generation"/> counts the answers this client has received, so that an actor waiting
/// for "metadata newer than the error I just saw" can tell even when the broker's version did not
/// move. Immutable, so thread-safe.
/// </summary>
public sealed class ClusterSnapshot
{
    private readonly Dictionary<int, BrokerMetadata> _brokers;
    private readonly Dictionary<string, TopicMetadata> _topics;

    public ClusterSnapshot(MetadataResponse response, long generation)
    {
        Response = response;
        Generation = generation;
        _brokers = response.Brokers.ToDictionary(b => b.BrokerId);
        _topics = response.Topics.Where(t => t.Error == ErrorCode.None).ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public MetadataResponse Response { get; }

    public long Generation { get; }

    public IReadOnlyCollection<BrokerMetadata> Brokers => _brokers.Values;

    public TopicMetadata? Topic(string name) => _topics.GetValueOrDefault(name);

    /// <summary>The number of partitions of <paramref name="topic"/>, or 0 when it is not known.</summary>
    public int PartitionCount(string topic) => Topic(topic)?.Partitions.Count ?? 0;

    /// <summary>
    /// Where to send a request for <paramref name="tp"/>: the gateway of its leader's broker and the
    /// leader epoch to carry; otherwise the error that says why there is none.
    /// </summary>
    public ErrorCode TryGetLeader(TopicPartition tp, out string gatewayPath, out int leaderEpoch)
    {
        gatewayPath = "";
        leaderEpoch = -1;
        var topic = Topic(tp.Topic);
        if (topic is null)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        PartitionMetadata? partition = null;
        foreach (var p in topic.Partitions)
        {
            if (p.Partition == tp.Partition)
            {
                partition = p;
                break;
            }
        }
        if (partition is null)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        if (partition.Leader < 0 || !_brokers.TryGetValue(partition.Leader, out var broker))
        {
            return ErrorCode.LeaderNotAvailable;
        }
        gatewayPath = broker.GatewayPath;
        leaderEpoch = partition.LeaderEpoch;
        return ErrorCode.None;
    }

    /// <summary>The partitions of <paramref name="topic"/> that have a leader now.</summary>
    public IReadOnlyList<int> AvailablePartitions(string topic)
    {
        var result = new List<int>();
        if (Topic(topic) is { } t)
        {
            foreach (var p in t.Partitions)
            {
                if (p.Leader >= 0 && _brokers.ContainsKey(p.Leader))
                {
                    result.Add(p.Partition);
                }
            }
        }
        return result;
    }
}
