using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>
/// The request header (Kafka's RequestHeader.json):
/// <code>
/// v0: api_key int16, api_version int16, correlation_id int32
/// v1: v0 + client_id nullable string with an int16 length
/// v2: v1 + tagged fields (client_id stays the classic int16 string, so that any broker can
///     read the header of a request whose version it does not support)
/// </code>
/// A request uses v2 when its API version is flexible, v1 otherwise (v0 only ever carried
/// ControlledShutdown v0, which AkkaStream does not serve).
/// </summary>
public sealed record RequestHeader(ApiKey ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    /// <summary>api_key, api_version and correlation_id: the fixed part every header version starts with.</summary>
    public const int FixedSize = 8;

    public static short HeaderVersionFor(bool flexible) => flexible ? (short)2 : (short)1;

    /// <summary>Reads client_id and, for v2, the tagged fields (all skipped: none are defined for requests).</summary>
    internal static bool TryReadRest(ref WireReader reader, short headerVersion, out string? clientId)
    {
        clientId = null;
        if (headerVersion < 1) return true;
        if (!reader.TryReadLength(LengthForm.Int16, out var length)) return false;
        if (length >= 0)
        {
            if (!reader.TryReadUtf8(length, out var id)) return false;
            clientId = id;
        }
        return headerVersion < 2 || TrySkipTaggedFields(ref reader);
    }

    internal static bool TrySkipTaggedFields(ref WireReader reader)
    {
        if (!reader.TryReadUnsignedVarint(out var count)) return false;
        for (var n = 0u; n < count; n++)
        {
            if (!reader.TryReadUnsignedVarint(out _) || !reader.TryReadUnsignedVarint(out var size)) return false;
            if (size > reader.Remaining) return reader.Fail($"header tagged field of {size} bytes overruns the frame");
            if (!reader.TrySlice((int)size, out _)) return false;
        }
        return true;
    }

    public void Write(WireWriter writer, short headerVersion)
    {
        writer.WriteInt16((short)ApiKey);
        writer.WriteInt16(ApiVersion);
        writer.WriteInt32(CorrelationId);
        if (headerVersion < 1) return;
        writer.WriteString(LengthForm.Int16, ClientId);
        if (headerVersion >= 2) writer.WriteUnsignedVarint(0);
    }
}
