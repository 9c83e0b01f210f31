using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>Placeholder until the codec lands.</summary>
public sealed class NoCompressionCodec : ICompressionCodec
{
    public static readonly NoCompressionCodec Instance = new();

    private NoCompressionCodec()
    {
    }

    public CompressionType Type => CompressionType.None;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) => throw new NotImplementedException();

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes) => throw new NotImplementedException();
}
