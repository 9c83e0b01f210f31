using System.Buffers;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;
using AkkaStream.Kafka.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Kafka.Tests.Protocol;

/// <summary>For every supported API and every version of it: encode, decode, and get the same message back.</summary>
public class RoundTripTests
{
    public static TheoryData<string, short> Versions() => AllVersions.OfEverySupportedApi();

    [Theory]
    [MemberData(nameof(Versions))]
    public void Request_and_response_bodies_survive_encoding_and_decoding(string api, short version)
    {
        var declaration = AllVersions.Find(api).Api;
        for (var seed = 0; seed < 20; seed++)
        {
            AssertRoundTrip(declaration.Request, version, declaration.IsFlexible(version), seed);
            AssertRoundTrip(declaration.Response, version, declaration.IsFlexible(version), seed);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_whole_request_frame_survives_the_frame_and_request_decoders(string api, short version)
    {
        var declaration = AllVersions.Find(api).Api;
        var body = SampleMessages.Build(declaration.Request, version, declaration.IsFlexible(version), seed: version);
        var header = new RequestHeader(declaration.Key, version, CorrelationId: 4242, ClientId: "akkastream-test");
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteRequest(output, declaration, header, body);

        var frames = new FrameDecoder(1 << 20, NullLogger.Instance);
        Assert.Equal(FrameStatus.Complete, frames.TryTakeFrame(output.WrittenSpan, endOfStream: false, out var frame, out var consumed, out _));
        Assert.Equal(output.WrittenCount, consumed);
        using (frame)
        {
            var requests = new RequestDecoder(SupportedApis.Default, NullLogger.Instance);
            Assert.True(requests.TryDecode(frame!.Span, out var request, out _, out var rejection), rejection?.ToString());
            Assert.Equal(header, request!.Header);
            Assert.Equal(body, request.Body);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_whole_response_frame_carries_the_header_version_its_api_and_version_call_for(string api, short version)
    {
        var declaration = AllVersions.Find(api).Api;
        var flexible = declaration.IsFlexible(version);
        var body = SampleMessages.Build(declaration.Response, version, flexible, seed: version);
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteResponse(output, declaration, version, correlationId: 77, body);

        var reader = new WireReader(output.WrittenSpan);
        Assert.True(reader.TryReadInt32(out var size));
        Assert.Equal(output.WrittenCount - 4, size);
        var headerVersion = declaration.Key == ApiKey.ApiVersions ? (short)0 : flexible ? (short)1 : (short)0;
        Assert.True(ResponseHeader.TryRead(ref reader, headerVersion, out var correlationId));
        Assert.Equal(77, correlationId);
        Assert.True(MessageDecoder.TryDecode(output.WrittenSpan[reader.Position..], declaration.Response, version, flexible, out var decoded, out var consumed, out var error), error);
        Assert.Equal(output.WrittenCount - reader.Position, consumed);
        Assert.Equal(body, decoded);
    }

    private static void AssertRoundTrip(StructSchema schema, short version, bool flexible, int seed)
    {
        var message = SampleMessages.Build(schema, version, flexible, seed);
        var bytes = MessageEncoder.Encode(message, version, flexible);
        Assert.True(MessageDecoder.TryDecode(bytes, schema, version, flexible, out var decoded, out var consumed, out var error), error);
        Assert.Equal(bytes.Length, consumed);
        Assert.True(message.Equals(decoded), $"v{version} seed {seed}:\n{message}\n{decoded}");
    }
}
