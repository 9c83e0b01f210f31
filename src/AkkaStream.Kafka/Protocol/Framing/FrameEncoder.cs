using System.Buffers;
using System.Buffers.Binary;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>
/// Writes whole size-prefixed frames: a response (header v0 or v1 by <see cref="ResponseHeader.VersionFor"/>)
/// or a request (header v1 or v2; what a client sends, used by tests and tools). Stateless and thread-safe.
/// </summary>
public static class FrameEncoder
{
    public static void WriteResponse(IBufferWriter<byte> output, ApiDeclaration api, short version, int correlationId, MessageStruct body)
    {
        var flexible = api.IsFlexible(version);
        WriteFrame(output, writer =>
        {
            ResponseHeader.Write(new WireWriter(writer), correlationId, ResponseHeader.VersionFor(api.Key, flexible));
            MessageEncoder.Encode(writer, body, version, flexible);
        });
    }

    public static void WriteRequest(IBufferWriter<byte> output, ApiDeclaration api, RequestHeader header, MessageStruct body)
    {
        var flexible = api.IsFlexible(header.ApiVersion);
        WriteFrame(output, writer =>
        {
            header.Write(new WireWriter(writer), RequestHeader.HeaderVersionFor(flexible));
            MessageEncoder.Encode(writer, body, header.ApiVersion, flexible);
        });
    }

    private static void WriteFrame(IBufferWriter<byte> output, Action<ArrayBufferWriter<byte>> write)
    {
        // The size prefix comes first but is known only afterwards, so the frame is built aside.
        var frame = new ArrayBufferWriter<byte>();
        write(frame);
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(FrameDecoder.SizePrefixLength), frame.WrittenCount);
        output.Advance(FrameDecoder.SizePrefixLength);
        frame.WrittenSpan.CopyTo(output.GetSpan(frame.WrittenCount));
        output.Advance(frame.WrittenCount);
    }
}
