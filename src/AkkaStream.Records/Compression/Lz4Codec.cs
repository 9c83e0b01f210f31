using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>Placeholder until the codec lands.</summary>
public sealed class Lz4Codec : ICompressionCodec
{
    public static readonly Lz4Codec Instance = new();

    private Lz4Codec()
    {
    }

    public CompressionType Type => CompressionType.Lz4;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) => throw new NotImplementedException();

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes) => throw new NotImplementedException();
}
