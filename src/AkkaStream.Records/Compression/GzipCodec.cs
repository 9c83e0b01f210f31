using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>Placeholder until the codec lands.</summary>
public sealed class GzipCodec : ICompressionCodec
{
    public static readonly GzipCodec Instance = new();

    private GzipCodec()
    {
    }

    public CompressionType Type => CompressionType.Gzip;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) => throw new NotImplementedException();

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes) => throw new NotImplementedException();
}
