using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>
/// Compression type 0: the records section holds the records as they are. Thread-safe (stateless).
/// </summary>
public sealed class NoCompressionCodec : ICompressionCodec
{
    private const string Name = "none";

    public static readonly NoCompressionCodec Instance = new();

    private NoCompressionCodec()
    {
    }

    public CompressionType Type => CompressionType.None;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) => destination.Write(source);

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedBytes);
        if (source.Length > maxDecompressedBytes)
        {
            throw CodecErrors.TooLarge(Name, maxDecompressedBytes);
        }
        destination.Write(source);
    }
}
