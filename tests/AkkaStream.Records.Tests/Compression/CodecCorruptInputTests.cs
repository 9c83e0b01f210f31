using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using CsCheck;
using static AkkaStream.Records.Tests.Compression.CodecTestKit;

namespace AkkaStream.Records.Tests.Compression;

public class CodecCorruptInputTests
{
    [Theory]
    [MemberData(nameof(CodecTestKit.Compressing), MemberType = typeof(CodecTestKit))]
    public void Empty_input_is_corrupt(CompressionType type)
    {
        var error = Assert.Throws<CorruptRecordException>(() => Decompress(type, []));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.Compressing), MemberType = typeof(CodecTestKit))]
    public void Every_truncation_is_corrupt(CompressionType type)
    {
        var compressed = Compress(type, Compressible(20_000));
        for (var length = 0; length < compressed.Length; length++)
        {
            var cut = compressed[..length];
            Assert.Throws<CorruptRecordException>(() => Decompress(type, cut));
        }
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.Compressing), MemberType = typeof(CodecTestKit))]
    public void Garbage_is_corrupt_and_names_the_codec(CompressionType type)
    {
        var garbage = Random(1000, seed: 3);
        var error = Assert.Throws<CorruptRecordException>(() => Decompress(type, garbage));
        Assert.StartsWith(type.ToString().ToLowerInvariant() + ":", error.Message);
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.Compressing), MemberType = typeof(CodecTestKit))]
    public void Any_bytes_either_decode_or_are_corrupt(CompressionType type) =>
        Gen.Byte.Array[0, 400].Sample(bytes => DecodesOrIsCorrupt(type, bytes), iter: 2000);

    [Theory]
    [MemberData(nameof(CodecTestKit.Compressing), MemberType = typeof(CodecTestKit))]
    public void Damaged_streams_either_decode_or_are_corrupt(CompressionType type)
    {
        var compressed = Compress(type, Compressible(5000));
        Gen.Select(Gen.Int[0, compressed.Length - 1], Gen.Byte[1, 255]).Sample((position, flip) =>
        {
            var damaged = compressed.ToArray();
            damaged[position] ^= flip;
            DecodesOrIsCorrupt(type, damaged);
        }, iter: 1000);
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void A_decompression_bomb_is_stopped_at_the_limit(CompressionType type)
    {
        var bomb = Compress(type, new byte[10 * OneMiB]);
        var destination = new CapacityTrackingWriter();
        var error = Assert.Throws<CorruptRecordException>(() =>
            CompressionCodecs.For(type).Decompress(bomb, destination, OneMiB));
        Assert.Contains("limit", error.Message);
        Assert.True(destination.LargestRequest <= OneMiB + 1, $"the destination was asked for {destination.LargestRequest} bytes");
        Assert.True(destination.WrittenCount <= OneMiB);
    }

    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void A_negative_limit_is_a_caller_error(CompressionType type) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Decompress(type, Compress(type, [1, 2, 3]), maxDecompressedBytes: -1));

    private static void DecodesOrIsCorrupt(CompressionType type, byte[] bytes)
    {
        try
        {
            Decompress(type, bytes, maxDecompressedBytes: OneMiB);
        }
        catch (CorruptRecordException)
        {
        }
    }
}
