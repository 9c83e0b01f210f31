using Akka.Actor;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Logs;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Metadata;

/// <summary>
/// The broker's copy of the controller's metadata (<c>/user/metadata</c>). Keeps the newest
/// snapshot it is sent (older versions are ignored) in the node's <see cref="MetadataView"/>,
/// answers <see cref="MetadataRequest"/> and <see cref="DescribeClusterRequest"/>, asks the
/// controller for the current snapshot until it has one (and now and then after, in case a push
/// was lost), tells the log manager which topics exist, and publishes each newer snapshot on the
/// event stream (the replica manager follows partitions from it).
/// </summary>
public sealed class MetadataCache : ReceiveActor, IWithTimers
{
    public const string ActorName = "metadata";

    private sealed record Refresh
    {
        public static readonly Refresh Instance = new();
    }

    private readonly MetadataView _view;
    private readonly LogManager? _logs;
    private readonly IActorRef _controller;
    private readonly TimeSpan _interval;
    private int _ticks;

    /// <param name="autoCreateTimeout">How long a metadata request may wait for the controller to create its unknown
    /// topics (<c>akkastream.auto-create-topics</c>); null when the broker does not create topics on request.</param>
    public MetadataCache(MetadataView view, LogManager? logs, IActorRef controller, TimeSpan refreshInterval, TimeSpan? autoCreateTimeout = null)
    {
        _view = view;
        _logs = logs;
        _controller = controller;
        _interval = refreshInterval;
        Receive<MetadataSnapshot>(snapshot =>
        {
            if (snapshot.Version <= _view.Current.Version) return;
            // The log manager first: a log created by an owner that read the new view must never
            // meet a reconciliation with the older snapshot, which would delete it.
            _logs?.ApplyMetadata(snapshot);
            _view.TryUpdate(snapshot);
            Context.System.EventStream.Publish(snapshot);
        });
        Receive<MetadataRequest>(request =>
        {
            var response = Describe(_view.Current, request.Topics);
            // Only named topics are created, as in Kafka: a request for every topic names none.
            if (autoCreateTimeout is { } timeout && request.AllowAutoTopicCreation && TopicAutoCreation.HasUnknown(response))
            {
                TopicAutoCreation.CreateUnknownAsync(response, _controller, timeout).PipeTo(Sender);
                return;
            }
            Sender.Tell(response);
        });
        Receive<DescribeClusterRequest>(_ =>
        {
            var current = _view.Current;
            Sender.Tell(new DescribeClusterResponse(current.ClusterId, current.ControllerId, Brokers(current)));
        });
        Receive<Refresh>(_ =>
        {
            // Every tick while there is no metadata yet; every tenth tick after that.
            if (_view.Current.Version == 0 || ++_ticks % 10 == 0)
            {
                _controller.Tell(ControllerActor.GetMetadata.Instance);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(MetadataView view, LogManager? logs, IActorRef controller, TimeSpan refreshInterval, TimeSpan? autoCreateTimeout = null) =>
        Akka.Actor.Props.Create(() => new MetadataCache(view, logs, controller, refreshInterval, autoCreateTimeout));

    protected override void PreStart()
    {
        _controller.Tell(ControllerActor.GetMetadata.Instance);
        Timers.StartPeriodicTimer("refresh", Refresh.Instance, _interval);
    }

    internal static MetadataResponse Describe(MetadataSnapshot snapshot, IReadOnlyList<string>? names)
    {
        var topics = new List<TopicMetadata>();
        foreach (var name in names ?? [.. snapshot.Topics.Keys.Order(StringComparer.Ordinal)])
        {
            if (!snapshot.Topics.TryGetValue(name, out var topic))
            {
                topics.Add(new TopicMetadata(name, Guid.Empty, ErrorCode.UnknownTopicOrPartition, []));
                continue;
            }
            // Plain arrays: the controller's lists may be collection-expression types compiled into
            // this assembly, which a client (that never loads AkkaStream.Broker) cannot deserialize.
            var partitions = topic.Partitions
                .Select(p => new PartitionMetadata(p.Partition, p.Leader < 0 ? ErrorCode.LeaderNotAvailable : ErrorCode.None,
                    p.Leader, p.LeaderEpoch, p.Replicas.ToArray(), p.Isr.ToArray()))
                .ToList();
            topics.Add(new TopicMetadata(topic.Name, topic.Id, ErrorCode.None, partitions));
        }
        return new MetadataResponse(snapshot.ClusterId, snapshot.ControllerId, snapshot.Version, Brokers(snapshot), topics);
    }

    private static List<BrokerMetadata> Brokers(MetadataSnapshot snapshot) =>
        [.. snapshot.Brokers.Select(b => new BrokerMetadata(b.BrokerId, b.GatewayPath, b.KafkaHost, b.KafkaPort))];
}
