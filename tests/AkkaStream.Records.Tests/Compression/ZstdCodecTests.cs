using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using static AkkaStream.Records.Tests.Compression.CodecTestKit;

namespace AkkaStream.Records.Tests.Compression;

/// <summary>zstd frames built by hand from RFC 8878, and one written by the zstd tool.</summary>
public class ZstdCodecTests
{
    // Magic 28b52ffd; descriptor 00 (no content size: a streaming frame, as zstd-jni writes);
    // window descriptor 00 (1 KiB); one block: header 0x0000f1 little-endian = last block, raw,
    // 30 bytes; then the 30 bytes.
    private static readonly byte[] StreamingRawFrame = Convert.FromHexString(
        "28b52ffd" + "00" + "00" +
        "f10000" + "416b6b6153747265616d207a7374643a206f6e652072617720626c6f636b");

    // Magic; descriptor 0x20 (single segment, 1-byte content size) = 30; an RLE block (header
    // 0x0000a2: not last, RLE, 20) repeating "z"; then a last raw block of 10 bytes (0x000051).
    private static readonly byte[] SingleSegmentFrame = Convert.FromHexString(
        "28b52ffd" + "20" + "1e" +
        "a20000" + "7a" +
        "510000" + "20726177207461696c0a");

    private static readonly byte[] SingleSegmentText = "zzzzzzzzzzzzzzzzzzzz raw tail\n"u8.ToArray();

    // `zstd -19 -c` (zstd 1.5.4) of ReferenceText read from a pipe: no content size, a content
    // checksum, a compressed block with Huffman literals and FSE sequences.
    private static readonly byte[] ZstdTool = Convert.FromHexString(
        "28b52ffd0468e50100c2830c11c0eb00528c6c6fc139f2c77e45450866012094741f89c337b59925957b9b8e7e164aeb7195f7b0" +
        "9995bb1add75c7192302010063b1948202d8de5cd4");

    private static byte[] ReferenceText =>
        System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("AkkaStream reads what other implementations write. ", 4)) + "The end.\n");

    [Fact]
    public void Reads_a_streaming_frame_without_content_size() =>
        Assert.Equal("AkkaStream zstd: one raw block"u8.ToArray(), Decompress(CompressionType.Zstd, StreamingRawFrame));

    [Fact]
    public void Reads_a_single_segment_frame_with_rle_and_raw_blocks() =>
        Assert.Equal(SingleSegmentText, Decompress(CompressionType.Zstd, SingleSegmentFrame));

    [Fact]
    public void Reads_what_the_zstd_tool_writes() =>
        Assert.Equal(ReferenceText, Decompress(CompressionType.Zstd, ZstdTool));

    [Fact]
    public void Reads_concatenated_frames() =>
        Assert.Equal(
            [.. "AkkaStream zstd: one raw block"u8, .. SingleSegmentText],
            Decompress(CompressionType.Zstd, [.. StreamingRawFrame, .. SingleSegmentFrame]));

    [Fact]
    public void Reads_streaming_frames_larger_than_one_output_span()
    {
        // 40 RLE blocks of 100 000 bytes each in a frame without content size (window 128 KiB):
        // the output crosses many spans, and zstd has to be drained after the input is all taken.
        var frame = new List<byte>(Convert.FromHexString("28b52ffd" + "00" + "38"));
        for (var i = 0; i < 40; i++)
        {
            var header = (i == 39 ? 1 : 0) | (1 << 1) | (100_000 << 3);
            frame.AddRange([(byte)header, (byte)(header >> 8), (byte)(header >> 16), (byte)'r']);
        }
        var output = Decompress(CompressionType.Zstd, frame.ToArray());
        Assert.Equal(4_000_000, output.Length);
        Assert.All(output, b => Assert.Equal((byte)'r', b));
    }

    [Fact]
    public void A_bomb_without_content_size_is_stopped_at_the_limit()
    {
        // 80 RLE blocks of 128 KiB (10 MiB) in 336 bytes, in a frame that does not state its size.
        var frame = new List<byte>(Convert.FromHexString("28b52ffd" + "00" + "38"));
        for (var i = 0; i < 80; i++)
        {
            var header = (i == 79 ? 1 : 0) | (1 << 1) | (128 * 1024 << 3);
            frame.AddRange([(byte)header, (byte)(header >> 8), (byte)(header >> 16), 0]);
        }
        var destination = new CapacityTrackingWriter();
        Assert.Throws<CorruptRecordException>(() => ZstdCodec.Instance.Decompress(frame.ToArray(), destination, OneMiB));
        Assert.True(destination.LargestRequest <= OneMiB + 1);
    }

    [Fact]
    public void A_frame_stating_a_size_over_the_limit_is_refused_before_decoding()
    {
        var destination = new CapacityTrackingWriter();
        Assert.Throws<CorruptRecordException>(() => ZstdCodec.Instance.Decompress(SingleSegmentFrame, destination, SingleSegmentText.Length - 1));
        Assert.Equal(0, destination.LargestRequest);
    }

    [Fact]
    public void Writes_a_frame_that_states_its_content_size()
    {
        var plain = Compressible(100_000);
        Assert.True(ZstdFrameHeader.TryReadContentSize(Compress(CompressionType.Zstd, plain), out var size));
        Assert.Equal((ulong)plain.Length, size);
    }

    [Fact]
    public void The_decoder_recovers_after_a_failed_call()
    {
        Assert.Throws<CorruptRecordException>(() => Decompress(CompressionType.Zstd, StreamingRawFrame[..^5]));
        Assert.Equal(SingleSegmentText, Decompress(CompressionType.Zstd, SingleSegmentFrame));
    }

    [Theory]
    [InlineData("28b52ffd" + "20" + "1e", 30UL)]                  // single segment, 1-byte size
    [InlineData("28b52ffd" + "60" + "0001", 512UL)]               // single segment, 2-byte size (stored minus 256)
    [InlineData("28b52ffd" + "80" + "58" + "10270000", 10000UL)]  // window descriptor, 4-byte size
    [InlineData("28b52ffd" + "c1" + "58" + "07" + "0000000001000000", 1UL << 32)] // 1-byte dictionary id, 8-byte size
    public void Reads_the_content_size_from_frame_headers(string header, ulong expected)
    {
        Assert.True(ZstdFrameHeader.TryReadContentSize(Convert.FromHexString(header), out var size));
        Assert.Equal(expected, size);
    }

    [Theory]
    [InlineData("28b52ffd" + "00" + "00")]     // streaming frame: no size
    [InlineData("28b52ffd" + "80" + "58" + "10")] // the size field cut short
    [InlineData("504b0304" + "20" + "1e")]     // not a zstd frame
    public void Finds_no_content_size_where_there_is_none(string header) =>
        Assert.False(ZstdFrameHeader.TryReadContentSize(Convert.FromHexString(header), out _));
}
