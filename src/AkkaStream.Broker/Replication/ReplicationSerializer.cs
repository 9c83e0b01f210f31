using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// Serializes the replica fetch session's messages in a layout of our own, with the record
/// batches copied as they are (never re-encoded, nothing per record). Each message is sized
/// exactly before it is written, so the batches are copied once into the frame and once out.
/// Little-endian (BinaryWriter's), strings as an int32 byte count and UTF-8:
/// <code>
/// RQ1: follower:i32 round:i64 maxWaitMs:i32 minBytes:i32 maxBytes:i32 count:i32
///      count × (topic:str partition:i32 leaderEpoch:i32 fetchOffset:i64 lastFetchedEpoch:i32 maxBytes:i32)
/// RS1: round:i64 count:i32
///      count × (topic:str partition:i32 error:i16 message:str (-1 = null) highWatermark:i64 logStart:i64 logEnd:i64
///               divergingEpoch:i32 divergingEndOffset:i64 records:i32 length + bytes)
/// </code>
/// A malformed payload is a <see cref="SerializationException"/>, which Akka.Remote answers by
/// dropping that one message and keeping the connection. Thread-safe (stateless).
/// </summary>
public sealed class ReplicationSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 902;

    private const string RequestManifest = "RQ1";
    private const string ResponseManifest = "RS1";

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        ReplicaFetchRequest => RequestManifest,
        ReplicaFetchResponse => ResponseManifest,
        _ => throw new SerializationException($"{o.GetType()} is not a replication message"),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        ReplicaFetchRequest r => Write(SizeOf(r), w => WriteRequest(w, r)),
        ReplicaFetchResponse r => Write(SizeOf(r), w => WriteResponse(w, r)),
        _ => throw new SerializationException($"{obj.GetType()} is not a replication message"),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            object result = manifest switch
            {
                RequestManifest => ReadRequest(r),
                ResponseManifest => ReadResponse(r),
                _ => throw new SerializationException($"unknown replication manifest '{manifest}'"),
            };
            if (r.BaseStream.Position != bytes.Length)
            {
                throw new SerializationException($"{bytes.Length - r.BaseStream.Position} bytes after a '{manifest}' message");
            }
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException)
        {
            throw new SerializationException($"malformed replication message '{manifest}': {e.Message}", e);
        }
    }

    private static byte[] Write(int size, Action<BinaryWriter> write)
    {
        var bytes = new byte[size];
        using var w = new BinaryWriter(new MemoryStream(bytes), Encoding.UTF8);
        write(w);
        return bytes;
    }

    private static int SizeOf(string? s) => 4 + (s is null ? 0 : Encoding.UTF8.GetByteCount(s));

    private static int SizeOf(ReplicaFetchRequest r)
    {
        var size = 4 + 8 + 4 + 4 + 4 + 4;
        foreach (var p in r.Partitions) size += SizeOf(p.Partition.Topic) + 4 + 4 + 8 + 4 + 4;
        return size;
    }

    private static int SizeOf(ReplicaFetchResponse r)
    {
        var size = 8 + 4;
        foreach (var p in r.Partitions) size += SizeOf(p.Partition.Topic) + 4 + 2 + SizeOf(p.ErrorMessage) + 8 + 8 + 8 + 4 + 8 + 4 + p.Records.Length;
        return size;
    }

    private static void WriteString(BinaryWriter w, string? s)
    {
        if (s is null)
        {
            w.Write(-1);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static string? ReadString(BinaryReader r)
    {
        var length = r.ReadInt32();
        return length switch
        {
            -1 => null,
            < 0 => throw new SerializationException($"negative string length {length}"),
            _ => Encoding.UTF8.GetString(ReadExactly(r, length)),
        };
    }

    private static byte[] ReadExactly(BinaryReader r, int length)
    {
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new SerializationException($"a field of {length} bytes where {r.BaseStream.Length - r.BaseStream.Position} remain");
        }
        return r.ReadBytes(length);
    }

    private static void WriteRequest(BinaryWriter w, ReplicaFetchRequest r)
    {
        w.Write(r.FollowerBroker);
        w.Write(r.Round);
        w.Write(r.MaxWaitMs);
        w.Write(r.MinBytes);
        w.Write(r.MaxBytes);
        w.Write(r.Partitions.Count);
        foreach (var p in r.Partitions)
        {
            WriteString(w, p.Partition.Topic);
            w.Write(p.Partition.Partition);
            w.Write(p.LeaderEpoch);
            w.Write(p.FetchOffset);
            w.Write(p.LastFetchedEpoch);
            w.Write(p.MaxBytes);
        }
    }

    private static ReplicaFetchRequest ReadRequest(BinaryReader r)
    {
        var follower = r.ReadInt32();
        var round = r.ReadInt64();
        var maxWait = r.ReadInt32();
        var minBytes = r.ReadInt32();
        var maxBytes = r.ReadInt32();
        var partitions = new ReplicaFetchPartition[Count(r)];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = new ReplicaFetchPartition(ReadPartition(r), r.ReadInt32(), r.ReadInt64(), r.ReadInt32(), r.ReadInt32());
        }
        return new ReplicaFetchRequest(follower, round, maxWait, minBytes, maxBytes, partitions);
    }

    private static void WriteResponse(BinaryWriter w, ReplicaFetchResponse r)
    {
        w.Write(r.Round);
        w.Write(r.Partitions.Count);
        foreach (var p in r.Partitions)
        {
            WriteString(w, p.Partition.Topic);
            w.Write(p.Partition.Partition);
            w.Write((short)p.Error);
            WriteString(w, p.ErrorMessage);
            w.Write(p.HighWatermark);
            w.Write(p.LogStartOffset);
            w.Write(p.LogEndOffset);
            w.Write(p.DivergingEpoch);
            w.Write(p.DivergingEndOffset);
            w.Write(p.Records.Length);
            w.Write(p.Records);
        }
    }

    private static ReplicaFetchResponse ReadResponse(BinaryReader r)
    {
        var round = r.ReadInt64();
        var partitions = new ReplicaPartitionData[Count(r)];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = new ReplicaPartitionData(ReadPartition(r), (ErrorCode)r.ReadInt16(), ReadString(r),
                r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt64(), ReadExactly(r, r.ReadInt32()));
        }
        return new ReplicaFetchResponse(round, partitions);
    }

    private static TopicPartition ReadPartition(BinaryReader r) =>
        new(ReadString(r) ?? throw new SerializationException("a partition without a topic name"), r.ReadInt32());

    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        // Every entry takes at least 8 bytes, so a count beyond that is malformed (and would allocate without bound).
        if (count < 0 || count > (r.BaseStream.Length - r.BaseStream.Position) / 8)
        {
            throw new SerializationException($"an entry count of {count} in {r.BaseStream.Length - r.BaseStream.Position} bytes");
        }
        return count;
    }
}
