using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Topics;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Controller;

/// <summary>
/// Turns topic administration requests into the events that carry them out, or refuses them with
/// the Kafka error a client expects. Pure: the controller persists what it returns.
/// Thread-safe (stateless).
/// </summary>
public static class TopicCommands
{
    public static TopicCreated Create(CreateTopicRequest request, ControllerState state, IReadOnlyCollection<int> liveBrokers, BrokerSettings settings)
    {
        TopicName.Validate(request.Name);
        if (state.Topics.ContainsKey(request.Name))
        {
            throw new AkkaStreamException(ErrorCode.TopicAlreadyExists, $"topic '{request.Name}' already exists");
        }
        var assignment = request.Assignments is { } manual
            ? ManualAssignment(request, manual, liveBrokers)
            : SpreadAssignment(request, liveBrokers, settings);
        var configs = new Dictionary<string, string>(request.Configs ?? new Dictionary<string, string>());
        TopicConfigParser.Parse(configs, settings.TopicDefaults);
        var states = assignment.Select((replicas, p) => NewPartition(p, replicas)).ToArray();
        return new TopicCreated(new TopicState(request.Name, Guid.NewGuid(), configs, states));
    }

    private static int[][] SpreadAssignment(CreateTopicRequest request, IReadOnlyCollection<int> liveBrokers, BrokerSettings settings)
    {
        var partitions = request.Partitions == -1 ? settings.NumPartitions : request.Partitions;
        if (partitions < 1)
        {
            throw new AkkaStreamException(ErrorCode.InvalidPartitions, $"a topic needs at least one partition, not {partitions}");
        }
        int replicationFactor = request.ReplicationFactor == -1 ? settings.DefaultReplicationFactor : request.ReplicationFactor;
        RequireReplicationFactor(replicationFactor, liveBrokers.Count);
        return ReplicaAssignment.Assign([.. liveBrokers], 0, partitions, replicationFactor,
            ReplicaAssignment.StartFor(request.Name, liveBrokers.Count));
    }

    /// <summary>
    /// The caller's placement, checked as Kafka checks it: every partition has the same number of
    /// distinct replicas, all on live brokers, and any count the request also states agrees.
    /// </summary>
    private static int[][] ManualAssignment(CreateTopicRequest request, IReadOnlyList<IReadOnlyList<int>> manual, IReadOnlyCollection<int> liveBrokers)
    {
        if (manual.Count == 0)
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment, "a manual assignment needs at least one partition");
        }
        if (request.Partitions != -1 && request.Partitions != manual.Count)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRequest,
                $"the request asks for {request.Partitions} partitions but assigns {manual.Count}");
        }
        var replicationFactor = manual[0].Count;
        if (request.ReplicationFactor != -1 && request.ReplicationFactor != replicationFactor)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRequest,
                $"the request asks for replication factor {request.ReplicationFactor} but assigns {replicationFactor} replicas");
        }
        CheckPlacement(manual, 0, replicationFactor, liveBrokers);
        return [.. manual.Select(r => r.ToArray())];
    }

    /// <summary>
    /// Every partition placed on <paramref name="replicationFactor"/> distinct live brokers, as
    /// Kafka requires of a manual assignment (partitions are numbered from <paramref name="firstPartition"/>).
    /// </summary>
    private static void CheckPlacement(IReadOnlyList<IReadOnlyList<int>> manual, int firstPartition, int replicationFactor, IReadOnlyCollection<int> liveBrokers)
    {
        var live = liveBrokers.ToHashSet();
        for (var i = 0; i < manual.Count; i++)
        {
            var (p, replicas) = (firstPartition + i, manual[i]);
            if (replicas.Count == 0 || replicas.Count != replicationFactor)
            {
                throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment,
                    $"partition {p} has {replicas.Count} replicas; every partition of the topic needs {replicationFactor}");
            }
            if (replicas.Distinct().Count() != replicas.Count)
            {
                throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment, $"partition {p} names a broker twice: [{string.Join(", ", replicas)}]");
            }
            foreach (var broker in replicas)
            {
                if (!live.Contains(broker))
                {
                    throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment, $"partition {p} names broker {broker}, which is not a live broker");
                }
            }
        }
    }

    /// <summary>
    /// A new partition led by its first replica, with every replica in sync: the log is empty, so
    /// every follower has all of it. One that does not start fetching within the lag time leaves
    /// the ISR through its leader.
    /// </summary>
    private static PartitionState NewPartition(int partition, IReadOnlyList<int> replicas) =>
        new(partition, replicas, replicas[0], 0, [.. replicas]);

    public static TopicDeleted Delete(DeleteTopicRequest request, ControllerState state)
    {
        Existing(request.Name, state);
        return new TopicDeleted(request.Name);
    }

    public static PartitionsCreated AddPartitions(CreatePartitionsRequest request, ControllerState state, IReadOnlyCollection<int> liveBrokers)
    {
        var topic = Existing(request.Name, state);
        var current = topic.Partitions.Count;
        if (request.TotalCount <= current)
        {
            throw new AkkaStreamException(ErrorCode.InvalidPartitions,
                $"topic '{request.Name}' has {current} partitions; the new count {request.TotalCount} must be larger");
        }
        var replicationFactor = topic.Partitions[0].Replicas.Count;
        if (request.Assignments is { } manual)
        {
            if (manual.Count != request.TotalCount - current)
            {
                throw new AkkaStreamException(ErrorCode.InvalidReplicaAssignment,
                    $"raising '{request.Name}' from {current} to {request.TotalCount} partitions needs {request.TotalCount - current} assignments, not {manual.Count}");
            }
            CheckPlacement(manual, current, replicationFactor, liveBrokers);
            return new PartitionsCreated(request.Name, [.. manual.Select((replicas, i) => NewPartition(current + i, [.. replicas]))]);
        }
        RequireReplicationFactor(replicationFactor, liveBrokers.Count);
        // Continue the topic's round-robin where its first partition started.
        var sorted = liveBrokers.Order().ToList();
        var start = sorted.IndexOf(topic.Partitions[0].Replicas[0]);
        if (start < 0) start = ReplicaAssignment.StartFor(request.Name, sorted.Count);
        var assignment = ReplicaAssignment.Assign(sorted, current, request.TotalCount - current, replicationFactor, start);
        return new PartitionsCreated(request.Name,
            [.. assignment.Select((replicas, i) => NewPartition(current + i, replicas))]);
    }

    public static TopicConfigsChanged AlterConfigs(AlterConfigsRequest request, ControllerState state, BrokerSettings settings)
    {
        var topic = Existing(request.Name, state);
        // Kafka's AlterConfigs replaces the whole set: what it does not name returns to its default.
        var configs = request.ReplaceAll ? [] : new Dictionary<string, string>(topic.Configs);
        foreach (var name in request.Delete ?? [])
        {
            if (!TopicConfigParser.Names.Contains(name))
            {
                throw new AkkaStreamException(ErrorCode.InvalidConfig, $"unknown topic setting '{name}'");
            }
            configs.Remove(name);
        }
        foreach (var (name, value) in request.Set ?? new Dictionary<string, string>())
        {
            configs[name] = value;
        }
        TopicConfigParser.Parse(configs, settings.TopicDefaults);
        return new TopicConfigsChanged(request.Name, configs);
    }

    public static DescribeConfigsResponse Describe(DescribeConfigsRequest request, ControllerState state, BrokerSettings settings)
    {
        var topic = Existing(request.Name, state);
        return new DescribeConfigsResponse(request.Name, ErrorCode.None, null, DescribeSettings(topic, settings));
    }

    /// <summary>Every setting of <paramref name="topic"/>, its own or the broker's default.</summary>
    public static List<ConfigEntry> DescribeSettings(TopicState topic, BrokerSettings settings) =>
        [.. TopicConfigParser.Describe(topic.Configs, settings.TopicDefaults).Select(e => new ConfigEntry(e.Name, e.Value, e.IsDefault))];

    /// <summary>The answer to a created (or validated) topic, with what Kafka's CreateTopics v5+ returns.</summary>
    public static CreateTopicResponse Created(TopicCreated created, BrokerSettings settings)
    {
        var topic = created.Topic;
        return new CreateTopicResponse(topic.Name, ErrorCode.None, null, topic.Id, topic.Partitions.Count,
            (short)topic.Partitions[0].Replicas.Count, DescribeSettings(topic, settings));
    }

    private static void RequireReplicationFactor(int replicationFactor, int live)
    {
        if (replicationFactor < 1)
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicationFactor, $"the replication factor must be at least 1, not {replicationFactor}");
        }
        if (replicationFactor > live)
        {
            throw new AkkaStreamException(ErrorCode.InvalidReplicationFactor,
                $"replication factor {replicationFactor} is larger than the number of live brokers ({live})");
        }
    }

    private static TopicState Existing(string name, ControllerState state) =>
        state.Topics.TryGetValue(name ?? "", out var topic)
            ? topic
            : throw new AkkaStreamException(ErrorCode.UnknownTopicOrPartition, $"topic '{name}' does not exist");
}
