using System.Globalization;
using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Metadata;
using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// The gauges that describe a broker's partitions, computed when scraped from the node's metadata
/// (replicas, leaders, ISR as the controller accepted them) and its log manager, rather than kept
/// up to date from the many places that change them. Kafka's rules: under-replicated and
/// under-min-ISR count the partitions this broker leads; offline partitions are reported by the
/// broker of the active controller only. Thread-safe: prometheus-net runs the callback per scrape.
/// </summary>
public sealed class PartitionStateGauges
{
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly LogManager _logs;
    private readonly BrokerMetrics _metrics;
    private readonly LabelledSeries _logSeries;

    private PartitionStateGauges(BrokerMetrics metrics, int selfBroker, MetadataView metadata, LogManager logs)
    {
        _metrics = metrics;
        _selfBroker = selfBroker;
        _metadata = metadata;
        _logs = logs;
        var factory = metrics.Factory;
        UnderReplicated = factory.CreateGauge("akkastream_under_replicated_partitions",
            "Partitions this broker leads whose ISR is smaller than their replica set (kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions).");
        UnderMinIsr = factory.CreateGauge("akkastream_under_min_isr_partitions",
            "Partitions this broker leads whose ISR is smaller than the topic's min.insync.replicas (kafka.server:type=ReplicaManager,name=UnderMinIsrPartitionCount).");
        Offline = factory.CreateGauge("akkastream_offline_partitions",
            "Partitions without a leader, reported by the broker of the active controller, 0 elsewhere (kafka.controller:type=KafkaController,name=OfflinePartitionsCount).");
        Leaders = factory.CreateGauge("akkastream_leader_partitions",
            "Partitions this broker leads (kafka.server:type=ReplicaManager,name=LeaderCount).");
        Partitions = factory.CreateGauge("akkastream_partitions",
            "Partitions with a replica on this broker (kafka.server:type=ReplicaManager,name=PartitionCount).");
        var partitionLabels = new GaugeConfiguration { LabelNames = ["topic", "partition"] };
        LogSize = factory.CreateGauge("akkastream_log_size_bytes",
            "Bytes of a partition's log segments on this broker (kafka.log:type=Log,name=Size,topic=*,partition=*).", partitionLabels);
        LogStartOffset = factory.CreateGauge("akkastream_log_start_offset",
            "The first offset of a partition's log on this broker (kafka.log:type=Log,name=LogStartOffset).", partitionLabels);
        LogEndOffset = factory.CreateGauge("akkastream_log_end_offset",
            "The next offset of a partition's log on this broker (kafka.log:type=Log,name=LogEndOffset).", partitionLabels);
        _logSeries = new LabelledSeries(LogSize, LogStartOffset, LogEndOffset);
    }

    public Gauge UnderReplicated { get; }

    public Gauge UnderMinIsr { get; }

    public Gauge Offline { get; }

    public Gauge Leaders { get; }

    public Gauge Partitions { get; }

    public Gauge LogSize { get; }

    public Gauge LogStartOffset { get; }

    public Gauge LogEndOffset { get; }

    /// <summary>Creates the gauges in <paramref name="metrics"/>' registry and computes them before each scrape.</summary>
    public static PartitionStateGauges Register(BrokerMetrics metrics, int selfBroker, MetadataView metadata, LogManager logs)
    {
        var gauges = new PartitionStateGauges(metrics, selfBroker, metadata, logs);
        metrics.Registry.AddBeforeCollectCallback(gauges.Update);
        return gauges;
    }

    private void Update()
    {
        UpdatePartitionCounts();
        UpdateLogs();
    }

    private void UpdatePartitionCounts()
    {
        var snapshot = _metadata.Current;
        int underReplicated = 0, underMinIsr = 0, offline = 0, leaders = 0, hosted = 0;
        foreach (var topic in snapshot.Topics.Values)
        {
            var minIsr = MinInSyncReplicas(topic);
            foreach (var partition in topic.Partitions)
            {
                if (partition.Leader < 0) offline++;
                if (partition.Replicas.Contains(_selfBroker)) hosted++;
                if (partition.Leader != _selfBroker) continue;
                leaders++;
                if (partition.Isr.Count < partition.Replicas.Count) underReplicated++;
                if (partition.Isr.Count < minIsr) underMinIsr++;
            }
        }
        UnderReplicated.Set(underReplicated);
        UnderMinIsr.Set(underMinIsr);
        Offline.Set(_metrics.ActiveController.Value > 0 ? offline : 0);
        Leaders.Set(leaders);
        Partitions.Set(hosted);
    }

    private void UpdateLogs()
    {
        var seen = new List<string[]>();
        foreach (var status in _logs.Statuses())
        {
            var labels = new[] { status.Partition.Topic, status.Partition.Partition.ToString(CultureInfo.InvariantCulture) };
            LogSize.WithLabels(labels).Set(status.SizeBytes);
            LogStartOffset.WithLabels(labels).Set(status.LogStartOffset);
            LogEndOffset.WithLabels(labels).Set(status.LogEndOffset);
            seen.Add(labels);
        }
        _logSeries.KeepOnly(seen);
    }

    private static int MinInSyncReplicas(TopicState topic) =>
        topic.Configs.TryGetValue("min.insync.replicas", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var min) ? min : 1;
}
