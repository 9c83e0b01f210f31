using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>Placeholder until the codec lands.</summary>
public sealed class ZstdCodec : ICompressionCodec
{
    public static readonly ZstdCodec Instance = new();

    private ZstdCodec()
    {
    }

    public CompressionType Type => CompressionType.Zstd;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) => throw new NotImplementedException();

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes) => throw new NotImplementedException();
}
