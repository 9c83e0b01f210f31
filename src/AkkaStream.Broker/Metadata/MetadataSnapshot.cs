using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Broker.Metadata;

/// <summary>One partition as the controller decided it: replicas, leader (-1 offline), leader epoch and in-sync replicas.</summary>
public sealed record PartitionState(int Partition, IReadOnlyList<int> Replicas, int Leader, int LeaderEpoch, IReadOnlyList<int> Isr);

/// <summary>One topic: its id (a re-created topic of the same name gets a new one), settings and partitions.</summary>
public sealed record TopicState(string Name, Guid Id, IReadOnlyDictionary<string, string> Configs, IReadOnlyList<PartitionState> Partitions);

/// <summary>A live broker, its Akka.Remote endpoint, and its advertised Kafka listener (empty and 0 when it has none).</summary>
public sealed record BrokerInfo(int BrokerId, string Host, int Port, string KafkaHost = "", int KafkaPort = 0)
{
    public string GatewayPath => Gateway.PathFor(Host, Port);
}

/// <summary>
/// The controller's whole view of the cluster, pushed to every broker's metadata cache after each
/// change (Hyperion-serialized, restricted to AkkaStream's types; the dictionaries keep the default
/// string comparer so that no comparer type crosses the wire). <see cref="Version"/> carries the controller epoch in its high 32 bits, so a snapshot
/// from a newer controller always wins over one from an older controller.
/// </summary>
public sealed record MetadataSnapshot(
    string ClusterId,
    int ControllerId,
    int ControllerEpoch,
    long Version,
    IReadOnlyList<BrokerInfo> Brokers,
    IReadOnlyDictionary<string, TopicState> Topics) : IHyperionSerializable
{
    public static readonly MetadataSnapshot Empty = new("", -1, 0, 0, [], new Dictionary<string, TopicState>());

    public static long VersionOf(int controllerEpoch, int sequence) => ((long)controllerEpoch << 32) | (uint)sequence;

    public PartitionState? Partition(string topic, int partition) =>
        Topics.TryGetValue(topic, out var t) && partition >= 0 && partition < t.Partitions.Count ? t.Partitions[partition] : null;
}
