using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>
/// Reads the request in one frame: the header's api key and version are looked up in
/// <see cref="SupportedApis"/>, which decides the header version (v2 when flexible, else v1), then
/// the body is decoded from its declaration. The body must use the whole frame: bytes left over
/// mean the peer and we disagree on the layout, and guessing would misread every later field.
/// An unknown key, a version outside the supported range, or a header or body that does not
/// parse is rejected with its reason and logged. Thread-safe (no state beyond its settings).
/// </summary>
public sealed class RequestDecoder(SupportedApis supported, ILogger logger)
{
    /// <summary>
    /// On failure <paramref name="header"/> still holds the fixed part of the header when it could be
    /// read: an ApiVersions request at an unsupported version must be answered (UNSUPPORTED_VERSION,
    /// in the v0 layout, so the client can retry lower) rather than closing the connection.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> frame, out DecodedRequest? request, out RequestHeader? header, out FrameRejection? rejection)
    {
        request = null;
        header = null;
        var reader = new WireReader(frame);
        if (!reader.TryReadInt16(out var key) || !reader.TryReadInt16(out var version) || !reader.TryReadInt32(out var correlationId))
        {
            return Reject(RejectionReason.Malformed, $"request header: {reader.Error}", out rejection);
        }
        header = new RequestHeader((ApiKey)key, version, correlationId, null);
        if (!supported.TryGet((ApiKey)key, out var api)) return Reject(RejectionReason.UnknownApiKey, $"api key {key}", out rejection);
        if (!api.Range.Contains(version))
        {
            return Reject(RejectionReason.UnsupportedVersion, $"{api.Api.Key} v{version} (supported {api.Range})", out rejection);
        }
        var flexible = api.Api.IsFlexible(version);
        if (!RequestHeader.TryReadRest(ref reader, RequestHeader.HeaderVersionFor(flexible), out var clientId))
        {
            return Reject(RejectionReason.Malformed, $"{api.Api.Key} v{version} request header: {reader.Error}", out rejection);
        }
        header = header with { ClientId = clientId };
        var body = frame[reader.Position..];
        if (!MessageDecoder.TryDecode(body, api.Api.Request, version, flexible, out var message, out var consumed, out var error))
        {
            return Reject(RejectionReason.Malformed, error!, out rejection);
        }
        if (consumed != body.Length)
        {
            return Reject(RejectionReason.Malformed, $"{api.Api.Key} v{version}: {body.Length - consumed} bytes after the body", out rejection);
        }
        request = new DecodedRequest(header, api.Api, message);
        rejection = null;
        return true;
    }

    private bool Reject(RejectionReason reason, string detail, out FrameRejection rejection)
    {
        rejection = new FrameRejection(reason, detail);
        logger.LogDebug("Kafka request rejected ({Reason}): {Detail}", reason, detail);
        return false;
    }
}
