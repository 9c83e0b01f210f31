using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Kafka.Tests.Protocol;

/// <summary>
/// Random and mutated bytes into every decoder at every supported version: a decoder may accept
/// or refuse them, but it must never throw, and a refusal must say why. Hostile counts and
/// lengths must not make it allocate much beyond the frame it was given.
/// </summary>
public class FuzzTests
{
    public static TheoryData<string, short> Versions() => AllVersions.OfEverySupportedApi();

    [Theory]
    [MemberData(nameof(Versions))]
    public void Mutated_and_random_bodies_never_make_a_decoder_throw(string api, short version)
    {
        var declaration = AllVersions.Find(api).Api;
        var flexible = declaration.IsFlexible(version);
        var random = new Random(version * 7919 + (int)declaration.Key);
        foreach (var schema in new[] { declaration.Request, declaration.Response })
        {
            var valid = MessageEncoder.Encode(SampleMessages.Build(schema, version, flexible, seed: 1), version, flexible);
            for (var round = 0; round < 300; round++)
            {
                var bytes = round % 3 == 0 ? RandomBytes(random, random.Next(0, 64)) : Mutate(valid, random);
                if (!MessageDecoder.TryDecode(bytes, schema, version, flexible, out _, out var consumed, out var error))
                {
                    Assert.False(string.IsNullOrEmpty(error));
                }
                else
                {
                    Assert.InRange(consumed, 0, bytes.Length);
                }
            }
        }
    }

    [Fact]
    public void Random_frames_never_make_the_request_decoder_throw()
    {
        var decoder = new RequestDecoder(SupportedApis.Default, NullLogger.Instance);
        var random = new Random(42);
        var keys = SupportedApis.Default.All;
        for (var round = 0; round < 5000; round++)
        {
            var frame = RandomBytes(random, random.Next(0, 80));
            if (frame.Length >= 4 && round % 2 == 0)
            {
                // Point half of them at a real api and version so the body decoder is reached.
                var api = keys[random.Next(keys.Count)];
                frame[0] = (byte)((short)api.Api.Key >> 8);
                frame[1] = (byte)(short)api.Api.Key;
                frame[2] = 0;
                frame[3] = (byte)random.Next(api.Range.Lowest, api.Range.Highest + 1);
            }
            if (!decoder.TryDecode(frame, out _, out _, out var rejection)) Assert.NotNull(rejection);
        }
    }

    [Theory]
    [InlineData("7F FF FF FF")]   // classic array count 2^31 - 1
    [InlineData("00 10 00 00")]   // one million elements
    public void A_hostile_array_count_fails_without_allocating_for_it(string count)
    {
        // Metadata v8 response: ThrottleTimeMs then the Brokers array count, and nothing else.
        var bytes = Hex.Bytes("00 00 00 00", count);
        var schema = MetadataApi.Declaration.Response;
        MessageDecoder.TryDecode(bytes, schema, 8, false, out _, out _, out _); // warm up the code path
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = MessageDecoder.TryDecode(bytes, schema, 8, false, out _, out _, out var error);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(ok);
        Assert.Contains("elements", error);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes for an 8-byte body");
    }

    [Fact]
    public void A_hostile_string_length_fails_without_allocating_for_it()
    {
        // Heartbeat v4 (flexible): GroupId claims 2^31 - 2 bytes as a compact length.
        var bytes = Hex.Bytes("FF FF FF FF 07");
        var schema = HeartbeatApi.Declaration.Request;
        MessageDecoder.TryDecode(bytes, schema, 4, true, out _, out _, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(MessageDecoder.TryDecode(bytes, schema, 4, true, out _, out _, out _));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024);
    }

    [Fact]
    public void Decoding_any_random_frame_allocates_a_bounded_multiple_of_its_size()
    {
        var random = new Random(7);
        foreach (var api in SupportedApis.Default.All)
        {
            for (var v = api.Range.Lowest; v <= api.Range.Highest; v++)
            {
                var flexible = api.Api.IsFlexible(v);
                for (var round = 0; round < 50; round++)
                {
                    var bytes = RandomBytes(random, 256);
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    MessageDecoder.TryDecode(bytes, api.Api.Response, v, flexible, out _, out _, out _);
                    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    // Every element costs at least one wire byte, and one element at most a few
                    // hundred bytes of model: far below what a count read as-is would allocate.
                    Assert.True(allocated < 512 * bytes.Length, $"{api.Api.Key} v{v}: {allocated} bytes for {bytes.Length}");
                }
            }
        }
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0 when bytes.Length > 0:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length + 1)];
            default:
                for (var i = 0; i < 1 + random.Next(4) && bytes.Length > 0; i++) bytes[random.Next(bytes.Length)] = 0xFF;
                return bytes;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
