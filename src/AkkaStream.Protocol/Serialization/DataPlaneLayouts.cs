using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// The byte layouts of the data-plane messages. Every payload starts with a one-byte layout
/// version (<see cref="Version"/>); integers are big-endian; a string is an int32 length (-1 for
/// null) and UTF-8 bytes; record bytes are an int32 length and the batches as they are.
///
/// <code>
/// ProduceRequest  (PQ): version:1 topic:str partition:i32 acks:i16 timeoutMs:i32 leaderEpoch:i32 records:bytes
/// ProduceResponse (PS): version:1 topic:str partition:i32 error:i16 errorMessage:str? baseOffset:i64 logAppendTime:i64 logStartOffset:i64
/// FetchRequest    (FQ): version:1 topic:str partition:i32 offset:i64 maxBytes:i32 maxWaitMs:i32 minBytes:i32 leaderEpoch:i32
/// FetchResponse   (FS): version:1 topic:str partition:i32 error:i16 errorMessage:str? highWatermark:i64 logStartOffset:i64 records:bytes
/// </code>
///
/// A reader that meets a version it does not know refuses the message; a new field means a new
/// version, read alongside the old one until every node writes it.
/// </summary>
internal static class DataPlaneLayouts
{
    public const byte Version = 1;

    public static byte[] Write(ProduceRequest m)
    {
        var size = 1 + SpanWriter.SizeOf(m.Topic) + 4 + 2 + 4 + 4 + SpanWriter.SizeOf(m.Records);
        var bytes = new byte[size];
        var w = new SpanWriter(bytes);
        w.WriteByte(Version);
        w.WriteString(m.Topic);
        w.WriteInt32(m.Partition);
        w.WriteInt16((short)m.Acks);
        w.WriteInt32(m.TimeoutMs);
        w.WriteInt32(m.LeaderEpoch);
        w.WriteBytes(m.Records);
        return bytes;
    }

    public static ProduceRequest ReadProduceRequest(ref SpanReader r)
    {
        var result = new ProduceRequest(
            Topic: r.ReadString(),
            Partition: r.ReadInt32(),
            Acks: (Acks)r.ReadInt16(),
            TimeoutMs: r.ReadInt32(),
            LeaderEpoch: r.ReadInt32(),
            Records: r.ReadBytes());
        r.EnsureEnd();
        return result;
    }

    public static byte[] Write(ProduceResponse m)
    {
        var size = 1 + SpanWriter.SizeOf(m.Topic) + 4 + 2 + SpanWriter.SizeOf(m.ErrorMessage) + 8 + 8 + 8;
        var bytes = new byte[size];
        var w = new SpanWriter(bytes);
        w.WriteByte(Version);
        w.WriteString(m.Topic);
        w.WriteInt32(m.Partition);
        w.WriteInt16((short)m.Error);
        w.WriteString(m.ErrorMessage);
        w.WriteInt64(m.BaseOffset);
        w.WriteInt64(m.LogAppendTime);
        w.WriteInt64(m.LogStartOffset);
        return bytes;
    }

    public static ProduceResponse ReadProduceResponse(ref SpanReader r)
    {
        var result = new ProduceResponse(
            Topic: r.ReadString(),
            Partition: r.ReadInt32(),
            Error: (ErrorCode)r.ReadInt16(),
            ErrorMessage: r.ReadNullableString(),
            BaseOffset: r.ReadInt64(),
            LogAppendTime: r.ReadInt64(),
            LogStartOffset: r.ReadInt64());
        r.EnsureEnd();
        return result;
    }

    public static byte[] Write(FetchRequest m)
    {
        var size = 1 + SpanWriter.SizeOf(m.Topic) + 4 + 8 + 4 + 4 + 4 + 4;
        var bytes = new byte[size];
        var w = new SpanWriter(bytes);
        w.WriteByte(Version);
        w.WriteString(m.Topic);
        w.WriteInt32(m.Partition);
        w.WriteInt64(m.Offset);
        w.WriteInt32(m.MaxBytes);
        w.WriteInt32(m.MaxWaitMs);
        w.WriteInt32(m.MinBytes);
        w.WriteInt32(m.LeaderEpoch);
        return bytes;
    }

    public static FetchRequest ReadFetchRequest(ref SpanReader r)
    {
        var result = new FetchRequest(
            Topic: r.ReadString(),
            Partition: r.ReadInt32(),
            Offset: r.ReadInt64(),
            MaxBytes: r.ReadInt32(),
            MaxWaitMs: r.ReadInt32(),
            MinBytes: r.ReadInt32(),
            LeaderEpoch: r.ReadInt32());
        r.EnsureEnd();
        return result;
    }

    public static byte[] Write(FetchResponse m)
    {
        var size = 1 + SpanWriter.SizeOf(m.Topic) + 4 + 2 + SpanWriter.SizeOf(m.ErrorMessage) + 8 + 8 + SpanWriter.SizeOf(m.Records);
        var bytes = new byte[size];
        var w = new SpanWriter(bytes);
        w.WriteByte(Version);
        w.WriteString(m.Topic);
        w.WriteInt32(m.Partition);
        w.WriteInt16((short)m.Error);
        w.WriteString(m.ErrorMessage);
        w.WriteInt64(m.HighWatermark);
        w.WriteInt64(m.LogStartOffset);
        w.WriteBytes(m.Records);
        return bytes;
    }

    public static FetchResponse ReadFetchResponse(ref SpanReader r)
    {
        var result = new FetchResponse(
            Topic: r.ReadString(),
            Partition: r.ReadInt32(),
            Error: (ErrorCode)r.ReadInt16(),
            ErrorMessage: r.ReadNullableString(),
            HighWatermark: r.ReadInt64(),
            LogStartOffset: r.ReadInt64(),
            Records: r.ReadBytes());
        r.EnsureEnd();
        return result;
    }
}
