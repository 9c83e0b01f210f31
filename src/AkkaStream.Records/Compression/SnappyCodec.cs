using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>Placeholder until the codec lands.</summary>
public sealed class SnappyCodec : ICompressionCodec
{
    public static readonly SnappyCodec Instance = new();

    private SnappyCodec()
    {
    }

    public CompressionType Type => CompressionType.Snappy;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) => throw new NotImplementedException();

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes) => throw new NotImplementedException();
}
