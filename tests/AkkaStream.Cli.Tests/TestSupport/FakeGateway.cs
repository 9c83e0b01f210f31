using System.Buffers.Binary;
using Akka.Actor;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Tests.TestSupport;

/// <summary>
/// A one-broker cluster in one actor, standing at /user/gateway of an ActorSystem named
/// "akkastream": it keeps topics, their settings and their record batches in memory, gives offsets
/// to produced batches (and producer ids to idempotent producers, without checking sequences), and
/// serves fetches and list-offsets from them. Enough for the commands, nothing of replication.
/// </summary>
public sealed class FakeGateway : ReceiveActor
{
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly string _path;
    private long _producerIds;

    public FakeGateway()
    {
        var address = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
        _path = address.Port is { } port ? Gateway.PathFor(address.Host!, port) : Self.Path.ToString();
        Receive<MetadataRequest>(m => Sender.Tell(Metadata(m.Topics)));
        Receive<DescribeClusterRequest>(_ => Sender.Tell(new DescribeClusterResponse("fake-cluster", 1, [Broker])));
        Receive<InitProducerIdRequest>(_ => Sender.Tell(new InitProducerIdResponse(ErrorCode.None, null, ++_producerIds, 0)));
        Receive<CreateTopicRequest>(m =>
        {
            if (_topics.ContainsKey(m.Name))
            {
                Sender.Tell(new CreateTopicResponse(m.Name, ErrorCode.TopicAlreadyExists, $"Topic '{m.Name}' already exists.", Guid.Empty));
                return;
            }
            var topic = new Topic(Guid.NewGuid(), new Dictionary<string, string>(m.Configs));
            topic.AddPartitions(m.Partitions < 0 ? 1 : m.Partitions);
            _topics[m.Name] = topic;
            Sender.Tell(new CreateTopicResponse(m.Name, ErrorCode.None, null, topic.Id));
        });
        Receive<DeleteTopicRequest>(m => Sender.Tell(_topics.Remove(m.Name)
            ? new DeleteTopicResponse(m.Name, ErrorCode.None, null)
            : new DeleteTopicResponse(m.Name, ErrorCode.UnknownTopicOrPartition, "no such topic")));
        Receive<CreatePartitionsRequest>(m => WithTopic(m.Name, t => t.AddPartitions(m.TotalCount - t.Partitions.Count), e => new CreatePartitionsResponse(m.Name, e, e == ErrorCode.None ? null : "no such topic")));
        Receive<AlterConfigsRequest>(m => WithTopic(m.Name, t =>
        {
            foreach (var (key, value) in m.Set)
            {
                t.Configs[key] = value;
            }
            foreach (var key in m.Delete)
            {
                t.Configs.Remove(key);
            }
        }, e => new AlterConfigsResponse(m.Name, e, e == ErrorCode.None ? null : "no such topic")));
        Receive<DescribeConfigsRequest>(m => Sender.Tell(_topics.TryGetValue(m.Name, out var t)
            ? new DescribeConfigsResponse(m.Name, ErrorCode.None, null,
                [.. t.Configs.Select(c => new ConfigEntry(c.Key, c.Value, false)), .. t.Configs.ContainsKey("retention.ms") ? Array.Empty<ConfigEntry>() : [new ConfigEntry("retention.ms", "604800000", true)]])
            : new DescribeConfigsResponse(m.Name, ErrorCode.UnknownTopicOrPartition, "no such topic", [])));
        Receive<ProduceRequest>(m => Sender.Tell(Partition(m.Topic, m.Partition) is { } log
            ? new ProduceResponse(m.Topic, m.Partition, ErrorCode.None, null, log.Append(m.Records), -1, 0)
            : ProduceResponse.Failed(m.Topic, m.Partition, ErrorCode.UnknownTopicOrPartition, "no such partition")));
        Receive<ListOffsetsRequest>(m => Sender.Tell(Partition(m.Topic, m.Partition) is { } log
            ? new ListOffsetsResponse(m.Topic, m.Partition, ErrorCode.None, null, m.Timestamp == ListOffsetsRequest.Earliest ? 0 : log.NextOffset, 0)
            : new ListOffsetsResponse(m.Topic, m.Partition, ErrorCode.UnknownTopicOrPartition, "no such partition", -1, -1)));
        Receive<FetchRequest>(m =>
        {
            if (Partition(m.Topic, m.Partition) is not { } log)
            {
                Sender.Tell(FetchResponse.Failed(m.Topic, m.Partition, ErrorCode.UnknownTopicOrPartition, "no such partition"));
                return;
            }
            var records = log.ReadFrom(m.Offset);
            var response = new FetchResponse(m.Topic, m.Partition, ErrorCode.None, null, log.NextOffset, 0, records);
            if (records.Length > 0)
            {
                Sender.Tell(response);
            }
            else
            {
                // As a leader waits up to fetch-max-wait for data: keeps an idle consumer from spinning.
                Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), Sender, response, Self);
            }
        });
    }

    private BrokerMetadata Broker => new(1, _path, "", 0);

    private MetadataResponse Metadata(IReadOnlyList<string>? names) => new(
        "fake-cluster",
        1,
        1,
        [Broker],
        (names ?? _topics.Keys.ToArray()).Select(name => _topics.TryGetValue(name, out var t)
            ? new TopicMetadata(name, t.Id, ErrorCode.None, t.Partitions.Select((_, p) => new PartitionMetadata(p, ErrorCode.None, 1, 0, [1], [1])).ToArray())
            : new TopicMetadata(name, Guid.Empty, ErrorCode.UnknownTopicOrPartition, [])).ToArray());

    private PartitionLog? Partition(string topic, int partition) =>
        _topics.TryGetValue(topic, out var t) && partition >= 0 && partition < t.Partitions.Count ? t.Partitions[partition] : null;

    private void WithTopic(string name, Action<Topic> change, Func<ErrorCode, object> reply)
    {
        if (_topics.TryGetValue(name, out var topic))
        {
            change(topic);
            Sender.Tell(reply(ErrorCode.None));
        }
        else
        {
            Sender.Tell(reply(ErrorCode.UnknownTopicOrPartition));
        }
    }

    private sealed record Topic(Guid Id, Dictionary<string, string> Configs)
    {
        public List<PartitionLog> Partitions { get; } = [];

        public void AddPartitions(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Partitions.Add(new PartitionLog());
            }
        }
    }

    /// <summary>One partition's batches, each with the base offset this log gave it.</summary>
    private sealed class PartitionLog
    {
        private readonly List<(long Next, byte[] Batch)> _batches = [];

        public long NextOffset { get; private set; }

        /// <summary>Appends every batch of <paramref name="records"/>; returns the first one's offset.</summary>
        public long Append(byte[] records)
        {
            var baseOffset = NextOffset;
            var walk = new RecordBatchEnumerator(records);
            while (walk.MoveNext())
            {
                var batch = walk.CurrentBytes.ToArray();
                BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchLayout.BaseOffsetOffset), NextOffset);
                NextOffset += walk.Current.LastOffsetDelta + 1;
                _batches.Add((NextOffset, batch));
            }
            return baseOffset;
        }

        public byte[] ReadFrom(long offset) => _batches.Where(b => b.Next > offset).SelectMany(b => b.Batch).ToArray();
    }
}
