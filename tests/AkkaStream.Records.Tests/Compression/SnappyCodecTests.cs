using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using static AkkaStream.Records.Tests.Compression.CodecTestKit;

namespace AkkaStream.Records.Tests.Compression;

/// <summary>Raw snappy blocks and snappy-java framed streams built by hand from the formats' descriptions.</summary>
public class SnappyCodecTests
{
    // Raw block: varint length 27 (1b); literal of 8 (tag 0x1c = (8-1)<<2) "abcdefgh"; copy with a
    // 1-byte offset, length 8, offset 8 (tag 0x11 = (8-4)<<2 | 1, offset 08); copy with a 2-byte
    // offset, length 10, offset 16 (tag 0x26 = (10-1)<<2 | 2, offset 1000); literal of 1 (tag 00) "!".
    private static readonly byte[] RawBlock = Convert.FromHexString("1b" + "1c6162636465666768" + "1108" + "261000" + "0021");
    private static readonly byte[] RawBlockText = "abcdefghabcdefghabcdefghab!"u8.ToArray();

    // Raw block with an overlapping copy: length 13 (0d); literal "ab" (tag 04); copy length 10,
    // offset 2 (tag 0x19 = (10-4)<<2 | 1, offset 02), which repeats its own output; literal "." (00 2e).
    private static readonly byte[] OverlappingBlock = Convert.FromHexString("0d" + "046162" + "1902" + "002e");
    private static readonly byte[] OverlappingBlockText = "abababababab."u8.ToArray();

    private static readonly byte[] XerialHeader = Convert.FromHexString("82534e4150505900" + "00000001" + "00000001");

    // libsnappy 1.1.9's raw block for ReferenceText.
    private static readonly byte[] LibSnappy = Convert.FromHexString(
        "d501c8416b6b6153747265616d2072656164732077686174206f7468657220696d706c656d656e746174696f6e732077726974652e20" +
        "fe3300fe33006233002054686520656e642e0a");

    private static byte[] ReferenceText =>
        System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("AkkaStream reads what other implementations write. ", 4)) + "The end.\n");

    [Fact]
    public void Reads_a_raw_block_with_literals_and_copies() =>
        Assert.Equal(RawBlockText, Decompress(CompressionType.Snappy, RawBlock));

    [Fact]
    public void Reads_a_raw_block_with_an_overlapping_copy() =>
        Assert.Equal(OverlappingBlockText, Decompress(CompressionType.Snappy, OverlappingBlock));

    [Fact]
    public void Reads_what_libsnappy_writes() =>
        Assert.Equal(ReferenceText, Decompress(CompressionType.Snappy, LibSnappy));

    [Fact]
    public void Reads_the_xerial_framing_of_the_java_client()
    {
        // magic, version 1, compatible version 1, then two chunks: 17 bytes of RawBlock, 8 of OverlappingBlock.
        var framed = Convert.FromHexString(
            "82534e4150505900" + "00000001" + "00000001" +
            "00000011" + "1b1c61626364656667681108261000" + "0021" +
            "00000008" + "0d0461621902002e");
        Assert.Equal([.. RawBlockText, .. OverlappingBlockText], Decompress(CompressionType.Snappy, framed));
    }

    [Fact]
    public void Reads_xerial_streams_appended_to_each_other() =>
        Assert.Equal(
            [.. RawBlockText, .. OverlappingBlockText],
            Decompress(CompressionType.Snappy, [.. XerialHeader, .. Chunk(RawBlock), .. XerialHeader, .. Chunk(OverlappingBlock)]));

    [Fact]
    public void A_xerial_header_without_chunks_is_empty() =>
        Assert.Empty(Decompress(CompressionType.Snappy, XerialHeader));

    [Fact]
    public void Writes_a_raw_block_that_starts_with_the_length()
    {
        var compressed = Compress(CompressionType.Snappy, RawBlockText);
        Assert.Equal(RawBlockText.Length, compressed[0]);
    }

    [Theory]
    [InlineData("00000000")] // zero length
    [InlineData("ffffffff")] // negative length
    [InlineData("00000100")] // longer than what follows
    [InlineData("0000")]     // a length cut short
    public void Bad_xerial_chunk_lengths_are_corrupt(string chunkLength)
    {
        byte[] framed = [.. XerialHeader, .. Convert.FromHexString(chunkLength), .. RawBlock];
        var error = Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Snappy, framed));
        Assert.Contains("xerial", error.Message);
    }

    [Fact]
    public void A_xerial_stream_for_a_newer_reader_is_corrupt()
    {
        byte[] framed = [.. XerialHeader[..12], 0, 0, 0, 2, .. Chunk(RawBlock)];
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Snappy, framed));
    }

    [Fact]
    public void A_cut_xerial_header_is_corrupt() =>
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Snappy, XerialHeader[..12]));

    [Fact]
    public void A_xerial_chunk_cut_short_is_corrupt()
    {
        byte[] framed = [.. XerialHeader, .. Chunk(RawBlock)];
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Snappy, framed[..^1]));
    }

    [Fact]
    public void A_raw_block_declaring_more_than_it_holds_is_corrupt()
    {
        var block = RawBlock.ToArray();
        block[0] = 28;
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Snappy, block));
    }

    [Fact]
    public void A_xerial_bomb_is_stopped_at_the_limit()
    {
        var chunk = Chunk(Compress(CompressionType.Snappy, new byte[32 * 1024]));
        var framed = new List<byte>(XerialHeader);
        for (var i = 0; i < 320; i++)
        {
            framed.AddRange(chunk);
        }
        var destination = new CapacityTrackingWriter();
        Assert.Throws<CorruptRecordException>(() => SnappyCodec.Instance.Decompress(framed.ToArray(), destination, OneMiB));
        Assert.True(destination.LargestRequest <= OneMiB + 1);
    }

    [Fact]
    public void A_raw_block_declaring_more_than_the_limit_is_refused_before_decoding()
    {
        var destination = new CapacityTrackingWriter();
        Assert.Throws<CorruptRecordException>(() => SnappyCodec.Instance.Decompress(RawBlock, destination, RawBlockText.Length - 1));
        Assert.Equal(0, destination.LargestRequest);
    }

    private static byte[] Chunk(byte[] block) =>
        [(byte)(block.Length >> 24), (byte)(block.Length >> 16), (byte)(block.Length >> 8), (byte)block.Length, .. block];
}
