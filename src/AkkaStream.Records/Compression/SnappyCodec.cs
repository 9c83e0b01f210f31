using System.Buffers;
using Snappier;

namespace AkkaStream.Records.Compression;

/// <summary>
/// Compression type 2. Kafka clients write snappy in two forms: librdkafka writes one raw snappy
/// block, the Java client writes snappy-java's framing (<see cref="XerialSnappyFraming"/>). This
/// codec writes the raw form, which every client reads, and reads both. Thread-safe (stateless).
/// </summary>
public sealed class SnappyCodec : ICompressionCodec
{
    internal const string Name = "snappy";

    public static readonly SnappyCodec Instance = new();

    private SnappyCodec()
    {
    }

    public CompressionType Type => CompressionType.Snappy;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var span = destination.GetSpan(Snappy.GetMaxCompressedLength(source.Length));
        destination.Advance(Snappy.Compress(source, span));
    }

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var output = new BoundedBufferWriter(destination, maxDecompressedBytes, Name);
        if (source.IsEmpty)
        {
            throw CodecErrors.Empty(Name);
        }
        try
        {
            if (!XerialSnappyFraming.IsFramed(source))
            {
                DecompressBlock(source, output);
                return;
            }
            foreach (var block in XerialSnappyFraming.Chunks(source))
            {
                DecompressBlock(block, output);
            }
        }
        catch (Exception e) when (CodecErrors.IsDecoderFailure(e))
        {
            throw CodecErrors.Invalid(Name, e);
        }
    }

    /// <summary>
    /// Decodes one raw block straight into the destination. A raw block opens with its decoded
    /// length, so the limit is checked before anything is allocated.
    /// </summary>
    private static void DecompressBlock(ReadOnlySpan<byte> block, BoundedBufferWriter output)
    {
        var length = Snappy.GetUncompressedLength(block);
        output.EnsureRoom(length);
        var span = output.GetSpan(length)[..length];
        var written = Snappy.Decompress(block, span);
        if (written != length)
        {
            throw CodecErrors.Invalid(Name, $"a block declares {length} bytes but decodes to {written}");
        }
        output.Advance(written);
    }
}
