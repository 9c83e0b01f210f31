using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>
/// The response header (Kafka's ResponseHeader.json): v0 is <c>correlation_id int32</c>; v1 adds a
/// tagged-field section and is used for flexible versions, with one exception: an ApiVersions
/// response is always v0 (KIP-511), because the client reads it before it knows which versions
/// the broker speaks. Getting that wrong breaks every client's first request.
/// </summary>
public static class ResponseHeader
{
    public static short VersionFor(ApiKey api, bool flexible) => api != ApiKey.ApiVersions && flexible ? (short)1 : (short)0;

    public static void Write(WireWriter writer, int correlationId, short headerVersion)
    {
        writer.WriteInt32(correlationId);
        if (headerVersion >= 1) writer.WriteUnsignedVarint(0);
    }

    /// <summary>Reads a response header (the client side of a round trip; used by tests and tools).</summary>
    public static bool TryRead(ref WireReader reader, short headerVersion, out int correlationId) =>
        reader.TryReadInt32(out correlationId) && (headerVersion < 1 || RequestHeader.TrySkipTaggedFields(ref reader));
}
