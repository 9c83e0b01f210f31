using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using static AkkaStream.Records.Tests.Compression.CodecTestKit;

namespace AkkaStream.Records.Tests.Compression;

/// <summary>LZ4 frames built by hand from the LZ4 frame and block format descriptions, and one written by the lz4 tool.</summary>
public class Lz4CodecTests
{
    // Magic 04224d18; FLG 0x60 (version 01, independent blocks, nothing optional); BD 0x40 (64 KiB
    // blocks); header checksum 0x82 (second byte of xxHash32 of FLG and BD). One block, its size
    // 0x26 with the high bit set for "stored uncompressed"; then the end mark 00000000.
    private static readonly byte[] UncompressedBlockFrame = Convert.FromHexString(
        "04224d18" + "604082" +
        "26000080" + "416b6b6153747265616d206c7a343a206f6e6520756e636f6d7072657373656420626c6f636b" +
        "00000000");

    // The same header, then one compressed block of 0x11 bytes: token 0x8c (8 literals, match
    // length 4 + 12) "abcdefgh", offset 0008 (an overlapping match repeating them twice), then the
    // last sequence: token 0x50 (5 literals, no match) "12345".
    private static readonly byte[] CompressedBlockFrame = Convert.FromHexString(
        "04224d18" + "604082" +
        "11000000" + "8c" + "6162636465666768" + "0800" + "50" + "3132333435" +
        "00000000");

    // The compressed block again, with every option on: FLG 0x7c (block checksums, content size,
    // content checksum), BD 0x40, content size 29, header checksum 0x8e; the block followed by its
    // xxHash32; the end mark followed by the content's xxHash32.
    private static readonly byte[] AllOptionsFrame = Convert.FromHexString(
        "04224d18" + "7c40" + "1d00000000000000" + "8e" +
        "11000000" + "8c" + "6162636465666768" + "0800" + "50" + "3132333435" + "f5187b94" +
        "00000000" + "8b3f9810");

    private static readonly byte[] CompressedBlockText = "abcdefghabcdefghabcdefgh12345"u8.ToArray();

    // `lz4 -c` (lz4 1.9.4) of ReferenceText: FLG 0x64 (content checksum), BD 0x40.
    private static readonly byte[] Lz4Tool = Convert.FromHexString(
        "04224d186440a742000000ff24416b6b6153747265616d2072656164732077686174206f7468657220696d706c656d656e7461" +
        "74696f6e732077726974652e203300869054686520656e642e0a000000007b7242ff");

    private static byte[] ReferenceText =>
        System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("AkkaStream reads what other implementations write. ", 4)) + "The end.\n");

    [Fact]
    public void Reads_a_frame_with_an_uncompressed_block() =>
        Assert.Equal("AkkaStream lz4: one uncompressed block"u8.ToArray(), Decompress(CompressionType.Lz4, UncompressedBlockFrame));

    [Fact]
    public void Reads_a_frame_with_a_compressed_block() =>
        Assert.Equal(CompressedBlockText, Decompress(CompressionType.Lz4, CompressedBlockFrame));

    [Fact]
    public void Reads_a_frame_with_checksums_and_content_size() =>
        Assert.Equal(CompressedBlockText, Decompress(CompressionType.Lz4, AllOptionsFrame));

    [Fact]
    public void Reads_what_the_lz4_tool_writes() =>
        Assert.Equal(ReferenceText, Decompress(CompressionType.Lz4, Lz4Tool));

    [Fact]
    public void Writes_the_frame_header_java_kafka_writes()
    {
        // Magic, FLG 0x60 (independent blocks, no checksums, no content size), BD 0x40 (64 KiB), HC 0x82.
        var compressed = Compress(CompressionType.Lz4, Compressible(200_000));
        Assert.Equal(Convert.FromHexString("04224d18604082"), compressed[..7]);
        Assert.Equal(new byte[4], compressed[^4..]);
    }

    [Fact]
    public void A_frame_without_its_end_mark_is_corrupt() =>
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Lz4, UncompressedBlockFrame[..^4]));

    [Fact]
    public void A_wrong_magic_is_corrupt()
    {
        var damaged = UncompressedBlockFrame.ToArray();
        damaged[0] = 0x05;
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Lz4, damaged));
    }
}
