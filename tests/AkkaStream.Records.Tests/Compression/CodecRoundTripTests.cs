using System.Buffers;
using AkkaStream.Records.Compression;
using CsCheck;
using static AkkaStream.Records.Tests.Compression.CodecTestKit;

namespace AkkaStream.Records.Tests.Compression;

public class CodecRoundTripTests
{
    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Empty_input_round_trips(CompressionType type) =>
        Assert.Empty(Decompress(type, Compress(type, [])));

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Tiny_input_round_trips(CompressionType type)
    {
        byte[] plain = [0x4B];
        Assert.Equal(plain, Decompress(type, Compress(type, plain)));
        var word = "kafka"u8.ToArray();
        Assert.Equal(word, Decompress(type, Compress(type, word)));
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Random_100_KiB_round_trips(CompressionType type)
    {
        var plain = Random(100 * 1024, seed: 7);
        Assert.Equal(plain, Decompress(type, Compress(type, plain)));
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.Compressing), MemberType = typeof(CodecTestKit))]
    public void Compressible_1_MiB_round_trips_and_shrinks(CompressionType type)
    {
        var plain = Compressible(OneMiB);
        var compressed = Compress(type, plain);
        Assert.True(compressed.Length < plain.Length / 2, $"{type} only got {plain.Length} bytes down to {compressed.Length}");
        Assert.Equal(plain, Decompress(type, compressed));
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Output_exactly_at_the_limit_is_accepted_and_one_byte_over_is_not(CompressionType type)
    {
        var plain = Compressible(200_000);
        var compressed = Compress(type, plain);
        Assert.Equal(plain, Decompress(type, compressed, maxDecompressedBytes: plain.Length));
        Assert.Throws<Errors.CorruptRecordException>(() => Decompress(type, compressed, maxDecompressedBytes: plain.Length - 1));
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Compress_appends_after_what_the_destination_already_holds(CompressionType type)
    {
        var plain = Compressible(10_000);
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("prefix"u8);
        CompressionCodecs.For(type).Compress(plain, writer);
        Assert.True(writer.WrittenSpan.StartsWith("prefix"u8));
        Assert.Equal(plain, Decompress(type, writer.WrittenSpan["prefix"u8.Length..]));
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Random_bytes_round_trip(CompressionType type) =>
        Gen.Byte.Array[0, 5000].Sample(plain =>
            Assert.Equal(plain, Decompress(type, Compress(type, plain))), iter: 300);

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Repetitive_bytes_round_trip(CompressionType type) =>
        Gen.Byte[0, 3].Array[0, 100_000].Sample(plain =>
            Assert.Equal(plain, Decompress(type, Compress(type, plain))), iter: 50);
}
