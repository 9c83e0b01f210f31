using AkkaStream.Records.Encoding;
using AkkaStream.Records.Tests.TestSupport;

namespace AkkaStream.Records.Tests.Encoding;

public sealed class VarintTests
{
    // Zig-zag maps 0, -1, 1, -2, … to 0, 1, 2, 3, …; then 7 bits per byte, low bits first.
    public static TheoryData<int, string> Int32Encodings => new()
    {
        { 0, "00" },
        { -1, "01" },
        { 1, "02" },
        { 63, "7e" },
        { -64, "7f" },
        { 64, "8001" },
        { -65, "8101" },
        { 8191, "fe7f" },
        { -8193, "818001" },
        { int.MaxValue, "feffffff0f" },
        { int.MinValue, "ffffffff0f" },
    };

    public static TheoryData<long, string> Int64Encodings => new()
    {
        { 0L, "00" },
        { -1L, "01" },
        { 1L, "02" },
        { 64L, "8001" },
        { -71L, "8d01" },
        { int.MaxValue, "feffffff0f" },
        { long.MaxValue, "feffffffffffffffff01" },
        { long.MinValue, "ffffffffffffffffff01" },
    };

    [Theory]
    [MemberData(nameof(Int32Encodings))]
    public void Int32_has_its_known_encoding(int value, string hex)
    {
        var expected = Hex.Parse(hex);
        Span<byte> buffer = stackalloc byte[Varint.MaxInt32Bytes];
        var written = Varint.WriteInt32(buffer, value);
        Assert.Equal(expected, buffer[..written].ToArray());
        Assert.Equal(expected.Length, Varint.SizeOfInt32(value));

        Assert.True(Varint.TryReadInt32(expected, out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, consumed);
    }

    [Theory]
    [MemberData(nameof(Int64Encodings))]
    public void Int64_has_its_known_encoding(long value, string hex)
    {
        var expected = Hex.Parse(hex);
        Span<byte> buffer = stackalloc byte[Varint.MaxInt64Bytes];
        var written = Varint.WriteInt64(buffer, value);
        Assert.Equal(expected, buffer[..written].ToArray());
        Assert.Equal(expected.Length, Varint.SizeOfInt64(value));

        Assert.True(Varint.TryReadInt64(expected, out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, consumed);
    }

    [Fact]
    public void Reading_stops_at_the_first_byte_without_continuation_bit()
    {
        Assert.True(Varint.TryReadInt32(Hex.Parse("02 ff ff"), out var value, out var consumed));
        Assert.Equal(1, value);
        Assert.Equal(1, consumed);
    }

    [Theory]
    [InlineData("")]                    // nothing at all
    [InlineData("80")]                  // continuation bit, then the span ends
    [InlineData("ffffff")]              // truncated in the middle
    [InlineData("ffffffffff01")]        // six bytes: longer than any int32
    [InlineData("ffffffff1f")]          // five bytes, but more than 32 bits
    [InlineData("8080808080")]          // five bytes that all continue
    public void Malformed_int32_is_refused(string hex)
    {
        Assert.False(Varint.TryReadInt32(Hex.Parse(hex), out var value, out var consumed));
        Assert.Equal(0, value);
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("ffffffffffffffffff")]      // nine bytes that all continue, then the end
    [InlineData("ffffffffffffffffff02")]    // tenth byte with more than bit 63
    [InlineData("ffffffffffffffffff7f")]
    [InlineData("ffffffffffffffffffff01")]  // eleven bytes
    public void Malformed_int64_is_refused(string hex)
    {
        Assert.False(Varint.TryReadInt64(Hex.Parse(hex), out var value, out var consumed));
        Assert.Equal(0, value);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Random_values_round_trip()
    {
        var random = new Random(1234);
        Span<byte> buffer = stackalloc byte[Varint.MaxInt64Bytes];
        for (var i = 0; i < 10_000; i++)
        {
            var value32 = random.Next(int.MinValue, int.MaxValue) >> random.Next(32);
            var written = Varint.WriteInt32(buffer, value32);
            Assert.True(Varint.TryReadInt32(buffer[..written], out var read32, out var consumed32));
            Assert.Equal((value32, written), (read32, consumed32));

            var value64 = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            written = Varint.WriteInt64(buffer, value64);
            Assert.True(Varint.TryReadInt64(buffer[..written], out var read64, out var consumed64));
            Assert.Equal((value64, written), (read64, consumed64));
        }
    }
}
