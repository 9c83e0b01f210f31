using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

/// <summary>
/// Writes the group entities' events and snapshots (<see cref="IGroupEvent"/>) in a stable binary
/// format of our own, as the broker's other journal events are (see
/// <c>Serialization/BrokerEventSerializer.cs</c>): each manifest names a type and its format
/// version, a changed layout gets a new manifest and the old one stays readable. Little-endian;
/// strings as UTF-8 with a 7-bit-encoded length, an optional string as a presence byte then the
/// string, bytes as an int32 length then the bytes, lists as an int32 count then the items.
/// Thread-safe (stateless).
/// </summary>
/// <remarks>
/// Layouts (version 1):
/// <list type="bullet">
/// <item>GM1 metadata: type?, protocol?, generation i32, leader?, state timestamp i64, members
/// [id, instance?, session i32, rebalance i32, metadata bytes, assignment bytes]</item>
/// <item>OC1 committed: offsets [topic, partition i32, offset i64, leader epoch i32, metadata?, commit timestamp i64]</item>
/// <item>OR1 removed: partitions [topic, partition i32]</item>
/// <item>GD1 deleted: timestamp i64</item>
/// <item>GS1 snapshot: dead bool, has metadata bool, [GM1 body], offsets as in OC1</item>
/// </list>
/// Version 2 keeps each member's client, as Kafka's group metadata does:
/// <list type="bullet">
/// <item>GM2 metadata: as GM1, each member followed by client id, client host</item>
/// <item>GS2 snapshot: as GS1 with a GM2 body</item>
/// </list>
/// Metadata and snapshots are written in version 2; GM1 and GS1 read with empty client ids and hosts.
/// </remarks>
public sealed class GroupEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 903;

    private const string MetadataManifestV1 = "GM1";
    private const string MetadataManifest = "GM2";
    private const string CommittedManifest = "OC1";
    private const string RemovedManifest = "OR1";
    private const string DeletedManifest = "GD1";
    private const string SnapshotManifestV1 = "GS1";
    private const string SnapshotManifest = "GS2";

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        GroupMetadataStored => MetadataManifest,
        OffsetsCommitted => CommittedManifest,
        OffsetsRemoved => RemovedManifest,
        GroupDeleted => DeletedManifest,
        GroupSnapshot => SnapshotManifest,
        _ => throw new SerializationException($"{o.GetType()} is not a persisted group event"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case GroupMetadataStored e: WriteMetadata(w, e); break;
                case OffsetsCommitted e: WriteOffsets(w, e.Offsets); break;
                case OffsetsRemoved e:
                    w.Write(e.Partitions.Count);
                    foreach (var p in e.Partitions)
                    {
                        w.Write(p.Topic);
                        w.Write(p.Partition);
                    }
                    break;
                case GroupDeleted e: w.Write(e.TimestampMs); break;
                case GroupSnapshot s:
                    w.Write(s.Dead);
                    w.Write(s.Metadata is not null);
                    if (s.Metadata is { } metadata) WriteMetadata(w, metadata);
                    WriteOffsets(w, s.Offsets);
                    break;
                default: throw new SerializationException($"{obj.GetType()} is not a persisted group event");
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return manifest switch
        {
            MetadataManifest => ReadMetadata(r, withClients: true),
            MetadataManifestV1 => ReadMetadata(r, withClients: false),
            CommittedManifest => new OffsetsCommitted(ReadOffsets(r)),
            RemovedManifest => new OffsetsRemoved(ReadRemoved(r)),
            DeletedManifest => new GroupDeleted(r.ReadInt64()),
            SnapshotManifest => new GroupSnapshot(r.ReadBoolean(), r.ReadBoolean() ? ReadMetadata(r, withClients: true) : null, ReadOffsets(r)),
            SnapshotManifestV1 => new GroupSnapshot(r.ReadBoolean(), r.ReadBoolean() ? ReadMetadata(r, withClients: false) : null, ReadOffsets(r)),
            _ => throw new SerializationException($"unknown group event manifest '{manifest}'"),
        };
    }

    private static void WriteMetadata(BinaryWriter w, GroupMetadataStored e)
    {
        WriteOptional(w, e.ProtocolType);
        WriteOptional(w, e.ProtocolName);
        w.Write(e.Generation);
        WriteOptional(w, e.Leader);
        w.Write(e.StateTimestampMs);
        w.Write(e.Members.Count);
        foreach (var m in e.Members)
        {
            w.Write(m.MemberId);
            WriteOptional(w, m.GroupInstanceId);
            w.Write(m.SessionTimeoutMs);
            w.Write(m.RebalanceTimeoutMs);
            WriteBytes(w, m.Metadata);
            WriteBytes(w, m.Assignment);
            w.Write(m.ClientId);
            w.Write(m.ClientHost);
        }
    }

    /// <param name="withClients">Version 2: each member ends with its client id and host.</param>
    private static GroupMetadataStored ReadMetadata(BinaryReader r, bool withClients)
    {
        var (type, protocol, generation, leader, timestamp) = (ReadOptional(r), ReadOptional(r), r.ReadInt32(), ReadOptional(r), r.ReadInt64());
        var members = new StoredMember[r.ReadInt32()];
        for (var i = 0; i < members.Length; i++)
        {
            var member = new StoredMember(r.ReadString(), ReadOptional(r), r.ReadInt32(), r.ReadInt32(), ReadBytes(r), ReadBytes(r));
            members[i] = withClients ? member with { ClientId = r.ReadString(), ClientHost = r.ReadString() } : member;
        }
        return new GroupMetadataStored(type, protocol, generation, leader, timestamp, members);
    }

    private static void WriteOffsets(BinaryWriter w, IReadOnlyList<StoredOffset> offsets)
    {
        w.Write(offsets.Count);
        foreach (var o in offsets)
        {
            w.Write(o.Topic);
            w.Write(o.Partition);
            w.Write(o.Offset);
            w.Write(o.LeaderEpoch);
            WriteOptional(w, o.Metadata);
            w.Write(o.CommitTimestampMs);
        }
    }

    private static StoredOffset[] ReadOffsets(BinaryReader r)
    {
        var offsets = new StoredOffset[r.ReadInt32()];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = new StoredOffset(r.ReadString(), r.ReadInt32(), r.ReadInt64(), r.ReadInt32(), ReadOptional(r), r.ReadInt64());
        }
        return offsets;
    }

    private static TopicPartitionRef[] ReadRemoved(BinaryReader r)
    {
        var partitions = new TopicPartitionRef[r.ReadInt32()];
        for (var i = 0; i < partitions.Length; i++) partitions[i] = new TopicPartitionRef(r.ReadString(), r.ReadInt32());
        return partitions;
    }

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(r.ReadInt32());
}
