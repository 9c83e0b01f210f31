using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using static AkkaStream.Records.Tests.Compression.CodecTestKit;

namespace AkkaStream.Records.Tests.Compression;

/// <summary>gzip streams built by hand from RFC 1952 / RFC 1951, and one written by GNU gzip.</summary>
public class GzipCodecTests
{
    // One member: header 1f 8b 08 00 | mtime 00000000 | xfl 00 | os ff, then a final stored deflate
    // block (01, LEN 0x0022, NLEN 0xffdd, 34 bytes), then CRC32 0xeeddeca6 and ISIZE 34, little-endian.
    private static readonly byte[] StoredMember = Convert.FromHexString(
        "1f8b08000000000000ff" +
        "01" + "2200" + "ddff" + "416b6b6153747265616d20677a69703a206f6e652073746f72656420626c6f636b0a" +
        "a6ecddee" + "22000000");

    // A second member, stored the same way, holding "and a second member\n".
    private static readonly byte[] SecondStoredMember = Convert.FromHexString(
        "1f8b08000000000000ff" +
        "01" + "1400" + "ebff" + "616e642061207365636f6e64206d656d6265720a" +
        "a9b29bb8" + "14000000");

    // `gzip -9c` (GNU gzip 1.12) of ReferenceText: fixed-Huffman deflate, XFL 2, OS 3.
    private static readonly byte[] GnuGzip = Convert.FromHexString(
        "1f8b080000000000020373ccce4e0c2e294a4dcc55001229c50ae51989250af92519a9450a99b90539a9b9a97925892599f9" +
        "7940a9a2cc92543d05c7c1aa2524235521352f458f0b0019355a6fd5000000");

    private static byte[] ReferenceText =>
        System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("AkkaStream reads what other implementations write. ", 4)) + "The end.\n");

    [Fact]
    public void Reads_a_stored_member() =>
        Assert.Equal("AkkaStream gzip: one stored block\n"u8.ToArray(), Decompress(CompressionType.Gzip, StoredMember));

    [Fact]
    public void Reads_concatenated_members() =>
        Assert.Equal(
            "AkkaStream gzip: one stored block\nand a second member\n"u8.ToArray(),
            Decompress(CompressionType.Gzip, [.. StoredMember, .. SecondStoredMember]));

    [Fact]
    public void Reads_what_gnu_gzip_writes() =>
        Assert.Equal(ReferenceText, Decompress(CompressionType.Gzip, GnuGzip));

    [Fact]
    public void Concatenated_members_whose_last_one_is_cut_are_corrupt()
    {
        byte[] stream = [.. StoredMember, .. SecondStoredMember];
        for (var length = StoredMember.Length + 1; length < stream.Length; length++)
        {
            var cut = stream[..length];
            Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Gzip, cut));
        }
    }

    [Theory]
    [InlineData(0)] // a CRC-32 byte
    [InlineData(4)] // an ISIZE byte
    public void A_trailer_that_does_not_match_the_data_is_corrupt(int trailerByte)
    {
        var damaged = StoredMember.ToArray();
        damaged[damaged.Length - 8 + trailerByte] ^= 0x01;
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Gzip, damaged));
    }

    [Fact]
    public void Bytes_after_the_last_member_are_corrupt() =>
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Gzip, [.. StoredMember, 0x00, 0x01, 0x02]));

    [Fact]
    public void Writes_a_gzip_member_with_deflate() =>
        Assert.Equal([0x1f, 0x8b, 0x08], Compress(CompressionType.Gzip, ReferenceText)[..3]);

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, GzipCrc32.Compute("123456789"u8));
        Assert.Equal(0xEEDDECA6u, GzipCrc32.Compute("AkkaStream gzip: one stored block\n"u8));
        var data = Random(1000, seed: 11);
        Assert.Equal(GzipCrc32.Compute(data), ~GzipCrc32.Update(GzipCrc32.Update(~0u, data[..333]), data[333..]));
    }
}
