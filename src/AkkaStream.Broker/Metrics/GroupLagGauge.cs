using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// Consumer lag of the groups this broker coordinates, computed when scraped as Kafka's exporters
/// compute it: the partition's high watermark (from its leader) minus the group's committed offset.
/// The groups are the entities of this broker's <c>group</c> shard region; their committed offsets
/// are asked of them, and the high watermarks are read from this broker's own logs where it leads,
/// asked of the leader's gateway (ListOffsets, latest) elsewhere. A scrape whose questions are not
/// answered in time keeps the previous values. Nothing is recorded on the commit path.
/// </summary>
public sealed class GroupLagGauge
{
    private readonly ActorSystem _system;
    private readonly IActorRef _groupRegion;
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly LogManager _logs;
    private readonly TimeSpan _wait;
    private readonly LabelledSeries _series;

    private GroupLagGauge(IMetricFactory factory, ActorSystem system, IActorRef groupRegion, int selfBroker, MetadataView metadata, LogManager logs, TimeSpan wait)
    {
        _system = system;
        _groupRegion = groupRegion;
        _selfBroker = selfBroker;
        _metadata = metadata;
        _logs = logs;
        _wait = wait;
        Lag = factory.CreateGauge("akkastream_consumer_group_lag",
            "Records between a group's committed offset and the partition's high watermark, for the groups this broker coordinates (kafka-exporter's kafka_consumergroup_lag; Kafka's own: kafka-consumer-groups --describe LAG).",
            new GaugeConfiguration { LabelNames = ["group", "topic", "partition"] });
        _series = new LabelledSeries(Lag);
    }

    public Gauge Lag { get; }

    /// <param name="wait">The longest a scrape waits for the groups' and leaders' answers.</param>
    public static GroupLagGauge Register(BrokerMetrics metrics, ActorSystem system, IActorRef groupRegion, int selfBroker, MetadataView metadata,
        LogManager logs, TimeSpan wait)
    {
        var gauge = new GroupLagGauge(metrics.Factory, system, groupRegion, selfBroker, metadata, logs, wait);
        metrics.Registry.AddBeforeCollectCallback(gauge.UpdateAsync);
        return gauge;
    }

    private async Task UpdateAsync(CancellationToken cancellation)
    {
        try
        {
            var region = await _groupRegion.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, _wait, cancellation).ConfigureAwait(false);
            var groups = region.Shards.SelectMany(s => s.EntityIds).Distinct(StringComparer.Ordinal).ToList();
            var fetches = groups.Select(g => _groupRegion.Ask<OffsetFetchResponse>(new OffsetFetchRequest(g, null), _wait, cancellation)).ToList();
            var committed = await Task.WhenAll(fetches).ConfigureAwait(false);
            var partitions = committed.SelectMany(c => c.Partitions).Where(p => p.Offset >= 0)
                .Select(p => new TopicPartition(p.Topic, p.Partition)).Distinct().ToList();
            var ends = await HighWatermarksAsync(partitions, cancellation).ConfigureAwait(false);
            var seen = new List<string[]>();
            for (var i = 0; i < groups.Count; i++)
            {
                if (committed[i].Error != ErrorCode.None) continue;
                foreach (var offset in committed[i].Partitions)
                {
                    if (offset.Offset < 0 || !ends.TryGetValue(new TopicPartition(offset.Topic, offset.Partition), out var end)) continue;
                    var labels = new[] { groups[i], offset.Topic, offset.Partition.ToString(CultureInfo.InvariantCulture) };
                    Lag.WithLabels(labels).Set(Math.Max(0, end - offset.Offset));
                    seen.Add(labels);
                }
            }
            _series.KeepOnly(seen);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // Not answered in time (a group or leader moving, the broker stopping): the previous values stay.
        }
    }

    /// <summary>The high watermark of each partition whose leader answers; local logs where this broker leads.</summary>
    private async Task<Dictionary<TopicPartition, long>> HighWatermarksAsync(List<TopicPartition> partitions, CancellationToken cancellation)
    {
        var ends = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0) return ends;
        var snapshot = _metadata.Current;
        var local = _logs.Statuses().Where(s => s.Owned).ToDictionary(s => s.Partition, s => s.HighWatermark);
        var asked = new List<(TopicPartition Partition, Task<ListOffsetsResponse> Answer)>();
        foreach (var partition in partitions)
        {
            var state = snapshot.Partition(partition.Topic, partition.Partition);
            if (state is null || state.Leader < 0) continue;
            if (state.Leader == _selfBroker && local.TryGetValue(partition, out var highWatermark))
            {
                ends[partition] = highWatermark;
            }
            else if (snapshot.Brokers.FirstOrDefault(b => b.BrokerId == state.Leader) is { } leader)
            {
                var request = new ListOffsetsRequest(partition.Topic, partition.Partition, ListOffsetsRequest.Latest, -1);
                asked.Add((partition, _system.ActorSelection(leader.GatewayPath).Ask<ListOffsetsResponse>(request, _wait, cancellation)));
            }
        }
        foreach (var (partition, answer) in asked)
        {
            try
            {
                var response = await answer.ConfigureAwait(false);
                if (response.Error == ErrorCode.None) ends[partition] = response.Offset;
            }
            catch (AskTimeoutException)
            {
                // This leader did not answer: its partitions are left out of this scrape.
            }
        }
        return ends;
    }
}
