using System.Buffers;
using AkkaStream.Kafka.Protocol.Wire;
using AkkaStream.Kafka.Tests.Support;

namespace AkkaStream.Kafka.Tests.Protocol;

public class WireReaderTests
{
    [Fact]
    public void Integers_are_big_endian_and_report_what_they_consumed()
    {
        var reader = new WireReader(Hex.Bytes("FF", "01 02", "01 02 03 04", "00 00 00 00 00 00 01 00"));
        Assert.True(reader.TryReadInt8(out var i8));
        Assert.True(reader.TryReadInt16(out var i16));
        Assert.True(reader.TryReadInt32(out var i32));
        Assert.True(reader.TryReadInt64(out var i64));
        Assert.Equal((-1, 0x0102, 0x01020304, 256L), (i8, i16, i32, i64));
        Assert.Equal(15, reader.Position);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void A_uuid_is_sixteen_bytes_most_significant_first()
    {
        var reader = new WireReader(Hex.Bytes("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF"));
        Assert.True(reader.TryReadUuid(out var uuid));
        Assert.Equal(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), uuid);
    }

    [Theory]
    [InlineData("00", 0u, 1)]
    [InlineData("7F", 127u, 1)]
    [InlineData("80 01", 128u, 2)]
    [InlineData("FF FF FF FF 0F", uint.MaxValue, 5)]
    public void Unsigned_varints_are_seven_bits_a_byte_low_first(string hex, uint expected, int length)
    {
        var reader = new WireReader(Hex.Bytes(hex));
        Assert.True(reader.TryReadUnsignedVarint(out var value));
        Assert.Equal((expected, length), (value, reader.Position));
    }

    [Fact]
    public void Signed_varints_and_varlongs_are_zig_zag_encoded()
    {
        var reader = new WireReader(Hex.Bytes("01", "02", "FE FF FF FF 0F", "FF FF FF FF FF FF FF FF FF 01"));
        Assert.True(reader.TryReadVarint(out var minusOne));
        Assert.True(reader.TryReadVarint(out var one));
        Assert.True(reader.TryReadVarint(out var max));
        Assert.True(reader.TryReadVarlong(out var min));
        Assert.Equal((-1, 1, int.MaxValue, long.MinValue), (minusOne, one, max, min));
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData("80")]                  // continuation bit with nothing after it
    [InlineData("FF FF FF FF 1F")]      // more than 32 bits
    [InlineData("80 80 80 80 80 01")]   // longer than five bytes
    public void A_bad_unsigned_varint_fails_with_a_reason(string hex)
    {
        var reader = new WireReader(Hex.Bytes(hex));
        Assert.False(reader.TryReadUnsignedVarint(out _));
        Assert.Contains("varint", reader.Error);
    }

    [Fact]
    public void Compact_lengths_are_length_plus_one_with_zero_for_null()
    {
        var reader = new WireReader(Hex.Bytes("00", "01", "04"));
        Assert.True(reader.TryReadLength(LengthForm.Compact, out var nullLength));
        Assert.True(reader.TryReadLength(LengthForm.Compact, out var empty));
        Assert.True(reader.TryReadLength(LengthForm.Compact, out var three));
        Assert.Equal((-1, 0, 3), (nullLength, empty, three));
    }

    [Theory]
    [InlineData(LengthForm.Int16, "FF FE")]
    [InlineData(LengthForm.Int32, "80 00 00 00")]
    public void A_classic_length_below_minus_one_fails(LengthForm form, string hex)
    {
        var reader = new WireReader(Hex.Bytes(hex));
        Assert.False(reader.TryReadLength(form, out _));
        Assert.Contains("negative length", reader.Error);
    }

    [Fact]
    public void Reading_past_the_end_fails_instead_of_throwing()
    {
        var reader = new WireReader(Hex.Bytes("00 05 61 62"));
        Assert.True(reader.TryReadLength(LengthForm.Int16, out var length));
        Assert.False(reader.TryReadUtf8(length, out _));
        Assert.Contains("only 2 remain", reader.Error);
        Assert.False(reader.TryReadInt64(out _));
    }

    [Fact]
    public void The_writer_mirrors_the_reader()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(output);
        writer.WriteString(LengthForm.Compact, "é");
        writer.WriteString(LengthForm.Int16, null);
        writer.WriteUnsignedVarint(300);
        writer.WriteUuid(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"));
        Assert.Equal("03C3A9" + "FFFF" + "AC02" + "00112233445566778899AABBCCDDEEFF", Hex.Show(output.WrittenSpan));
    }
}
