using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;

namespace AkkaStream.Broker.Serialization;

/// <summary>
/// Writes the journal's events and snapshots in a stable binary format of our own, so that what
/// is persisted survives refactoring. Each manifest names a type and its format version (the
/// trailing digit); a changed layout gets a new manifest, and the old one stays readable.
/// Little-endian, strings as UTF-8 with a 7-bit-encoded length (BinaryWriter's encoding).
/// Thread-safe (stateless).
/// </summary>
public sealed class BrokerEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 901;

    private const string ControllerEpochManifest = "CE1";
    private const string TopicCreatedManifest = "TC1";
    private const string TopicDeletedManifest = "TD1";
    private const string PartitionsCreatedManifest = "PC1";
    private const string ConfigsChangedManifest = "CC1";
    private const string LeaderChangedManifest = "LC1";
    private const string ControllerSnapshotV1Manifest = "CS1";
    private const string ControllerSnapshotV2Manifest = "CS2";
    private const string ControllerSnapshotV3Manifest = "CS3";
    private const string ControllerSnapshotManifest = "CS4";
    private const string ReassignmentStartedManifest = "RS1";
    private const string ReassignmentCompletedManifest = "RC1";
    private const string ReassignmentCancelledManifest = "RX1";
    private const string ProducerIdsReservedManifest = "PR1";
    private const string LeaderEpochStartedManifest = "LE1";

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        ControllerEpochStarted => ControllerEpochManifest,
        TopicCreated => TopicCreatedManifest,
        TopicDeleted => TopicDeletedManifest,
        PartitionsCreated => PartitionsCreatedManifest,
        TopicConfigsChanged => ConfigsChangedManifest,
        LeaderChanged => LeaderChangedManifest,
        ControllerSnapshot => ControllerSnapshotManifest,
        ProducerIdsReserved => ProducerIdsReservedManifest,
        LeaderEpochStarted => LeaderEpochStartedManifest,
        ReassignmentStarted => ReassignmentStartedManifest,
        ReassignmentCompleted => ReassignmentCompletedManifest,
        ReassignmentCancelled => ReassignmentCancelledManifest,
        _ => throw new SerializationException($"{o.GetType()} is not a persisted AkkaStream event"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case ControllerEpochStarted e: w.Write(e.Epoch); w.Write(e.ClusterId); break;
                case TopicCreated e: WriteTopic(w, e.Topic); break;
                case TopicDeleted e: w.Write(e.Name); break;
                case PartitionsCreated e: w.Write(e.Name); WriteList(w, e.Added, WritePartition); break;
                case TopicConfigsChanged e: w.Write(e.Name); WriteConfigs(w, e.Configs); break;
                case LeaderChanged e: w.Write(e.Name); WritePartition(w, e.Partition); break;
                case ControllerSnapshot s:
                    w.Write(s.ClusterId); w.Write(s.ControllerEpoch); WriteList(w, s.Topics, WriteTopic); w.Write(s.ProducerIdsReservedUpTo);
                    WriteList(w, s.Reassignments ?? [], WriteReassignment);
                    break;
                case ReassignmentStarted e: w.Write(e.Name); WritePartition(w, e.Partition); WriteBrokers(w, e.Target); break;
                case ReassignmentCompleted e: w.Write(e.Name); WritePartition(w, e.Partition); break;
                case ReassignmentCancelled e: w.Write(e.Name); WritePartition(w, e.Partition); break;
                case ProducerIdsReserved e: w.Write(e.UpTo); break;
                case LeaderEpochStarted e: w.Write(e.Epoch); w.Write(e.Broker); w.Write(e.StartOffset); break;
                default: throw new SerializationException($"{obj.GetType()} is not a persisted AkkaStream event");
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return manifest switch
        {
            ControllerEpochManifest => new ControllerEpochStarted(r.ReadInt32(), r.ReadString()),
            TopicCreatedManifest => new TopicCreated(ReadTopic(r)),
            TopicDeletedManifest => new TopicDeleted(r.ReadString()),
            PartitionsCreatedManifest => new PartitionsCreated(r.ReadString(), ReadList(r, ReadPartition)),
            ConfigsChangedManifest => new TopicConfigsChanged(r.ReadString(), ReadConfigs(r)),
            LeaderChangedManifest => new LeaderChanged(r.ReadString(), ReadPartition(r)),
            ControllerSnapshotV1Manifest => new ControllerSnapshot(r.ReadString(), r.ReadInt32(), ReadList(r, ReadTopic)),
            ControllerSnapshotV2Manifest => new ControllerSnapshot(r.ReadString(), r.ReadInt32(), ReadList(r, ReadTopic), r.ReadInt64()),
            ControllerSnapshotV3Manifest => new ControllerSnapshot(r.ReadString(), r.ReadInt32(), ReadList(r, ReadTopic), r.ReadInt64(), ReadList(r, ReadReassignmentV3)),
            ControllerSnapshotManifest => new ControllerSnapshot(r.ReadString(), r.ReadInt32(), ReadList(r, ReadTopic), r.ReadInt64(), ReadList(r, ReadReassignment)),
            ReassignmentStartedManifest => new ReassignmentStarted(r.ReadString(), ReadPartition(r), ReadBrokers(r)),
            ReassignmentCompletedManifest => new ReassignmentCompleted(r.ReadString(), ReadPartition(r)),
            ReassignmentCancelledManifest => new ReassignmentCancelled(r.ReadString(), ReadPartition(r)),
            ProducerIdsReservedManifest => new ProducerIdsReserved(r.ReadInt64()),
            LeaderEpochStartedManifest => new LeaderEpochStarted(r.ReadInt32(), r.ReadInt32(), r.ReadInt64()),
            _ => throw new SerializationException($"unknown AkkaStream event manifest '{manifest}'"),
        };
    }

    private static void WriteTopic(BinaryWriter w, TopicState t)
    {
        w.Write(t.Name);
        w.Write(t.Id.ToByteArray());
        WriteConfigs(w, t.Configs);
        WriteList(w, t.Partitions, WritePartition);
    }

    private static TopicState ReadTopic(BinaryReader r) =>
        new(r.ReadString(), new Guid(r.ReadBytes(16)), ReadConfigs(r), ReadList(r, ReadPartition));

    private static void WritePartition(BinaryWriter w, PartitionState p)
    {
        w.Write(p.Partition);
        WriteBrokers(w, p.Replicas);
        w.Write(p.Leader);
        w.Write(p.LeaderEpoch);
        WriteBrokers(w, p.Isr);
    }

    private static PartitionState ReadPartition(BinaryReader r) =>
        new(r.ReadInt32(), ReadBrokers(r), r.ReadInt32(), r.ReadInt32(), ReadBrokers(r));

    private static void WriteReassignment(BinaryWriter w, PartitionReassignment reassignment)
    {
        w.Write(reassignment.Topic);
        w.Write(reassignment.Partition);
        WriteBrokers(w, reassignment.Target);
        // The original replicas, or none (an empty list) when a CS3 snapshot did not know them.
        WriteBrokers(w, reassignment.Original ?? []);
    }

    private static PartitionReassignment ReadReassignment(BinaryReader r)
    {
        var (topic, partition, target, original) = (r.ReadString(), r.ReadInt32(), ReadBrokers(r), ReadBrokers(r));
        return new PartitionReassignment(topic, partition, target, original.Length == 0 ? null : original);
    }

    private static PartitionReassignment ReadReassignmentV3(BinaryReader r) => new(r.ReadString(), r.ReadInt32(), ReadBrokers(r));

    private static void WriteBrokers(BinaryWriter w, IReadOnlyList<int> brokers) => WriteList(w, brokers, (w2, b) => w2.Write(b));

    private static int[] ReadBrokers(BinaryReader r) => ReadList(r, x => x.ReadInt32());

    private static void WriteConfigs(BinaryWriter w, IReadOnlyDictionary<string, string> configs)
    {
        w.Write(configs.Count);
        foreach (var (key, value) in configs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(value);
        }
    }

    private static Dictionary<string, string> ReadConfigs(BinaryReader r)
    {
        var count = r.ReadInt32();
        var configs = new Dictionary<string, string>(count);
        for (var i = 0; i < count; i++) configs[r.ReadString()] = r.ReadString();
        return configs;
    }

    private static void WriteList<T>(BinaryWriter w, IReadOnlyList<T> items, Action<BinaryWriter, T> write)
    {
        w.Write(items.Count);
        foreach (var item in items) write(w, item);
    }

    private static T[] ReadList<T>(BinaryReader r, Func<BinaryReader, T> read)
    {
        var items = new T[r.ReadInt32()];
        for (var i = 0; i < items.Length; i++) items[i] = read(r);
        return items;
    }
}
