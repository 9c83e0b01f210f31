using System.Buffers;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace AkkaStream.Records.Compression;

/// <summary>
/// Compression type 3: one LZ4 frame (magic 0x184D2204), the framing Kafka has used since message
/// format v1 fixed the frame header checksum. Record batches (v2) always carry the standard
/// checksum, so the broken pre-v1 variant is not read. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// Frames are written the way Java's KafkaLZ4BlockOutputStream writes them: independent 64 KiB
/// blocks, no block or content checksum, no content size. Java's reader refuses dependent blocks,
/// and any LZ4 frame reader accepts the rest. As with Java's reader, bytes after the frame's end
/// mark are not read.
/// </remarks>
public sealed class Lz4Codec : ICompressionCodec
{
    private const string Name = "lz4";

    // KafkaLZ4BlockOutputStream's block size.
    private const int BlockBytes = 64 * 1024;

    public static readonly Lz4Codec Instance = new();

    private Lz4Codec()
    {
    }

    public CompressionType Type => CompressionType.Lz4;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) =>
        LZ4Frame.Encode(source, destination, NewEncoderSettings());

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var output = new BoundedBufferWriter(destination, maxDecompressedBytes, Name);
        if (source.IsEmpty)
        {
            throw CodecErrors.Empty(Name);
        }
        try
        {
            LZ4Frame.Decode(source, output);
        }
        catch (Exception e) when (CodecErrors.IsDecoderFailure(e))
        {
            throw CodecErrors.Invalid(Name, e);
        }
    }

    // LZ4EncoderSettings is mutable, so each call gets its own rather than sharing one.
    private static LZ4EncoderSettings NewEncoderSettings() => new()
    {
        BlockSize = BlockBytes,
        ChainBlocks = false,
        BlockChecksum = false,
        ContentChecksum = false,
        ContentLength = null,
        CompressionLevel = LZ4Level.L00_FAST,
    };
}
