using System.Buffers;
using AkkaStream.Records.Compression;

namespace AkkaStream.Records.Tests.Compression;

/// <summary>Shared helpers for the codec tests.</summary>
internal static class CodecTestKit
{
    public const int OneMiB = 1024 * 1024;

    public static readonly CompressionType[] AllTypes =
    [
        CompressionType.None,
        CompressionType.Gzip,
        CompressionType.Snappy,
        CompressionType.Lz4,
        CompressionType.Zstd,
    ];

    public static readonly CompressionType[] CompressingTypes =
    [
        CompressionType.Gzip,
        CompressionType.Snappy,
        CompressionType.Lz4,
        CompressionType.Zstd,
    ];

    public static TheoryData<CompressionType> All() => new(AllTypes);

    public static TheoryData<CompressionType> Compressing() => new(CompressingTypes);

    public static byte[] Compress(CompressionType type, ReadOnlySpan<byte> plain)
    {
        var writer = new ArrayBufferWriter<byte>();
        CompressionCodecs.For(type).Compress(plain, writer);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Decompress(CompressionType type, ReadOnlySpan<byte> compressed, int maxDecompressedBytes = 16 * OneMiB)
    {
        var writer = new ArrayBufferWriter<byte>();
        CompressionCodecs.For(type).Decompress(compressed, writer, maxDecompressedBytes);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Text-like bytes that compress well but are not one repeated byte.</summary>
    public static byte[] Compressible(int length)
    {
        var words = "offset epoch leader partition replica segment batch record producer fetch ".Split(' ');
        var random = new Random(42);
        var bytes = new byte[length];
        var position = 0;
        while (position < length)
        {
            var word = System.Text.Encoding.ASCII.GetBytes(words[random.Next(words.Length)] + " ");
            var take = Math.Min(word.Length, length - position);
            word.AsSpan(0, take).CopyTo(bytes.AsSpan(position));
            position += take;
        }
        return bytes;
    }
}

/// <summary>An <see cref="ArrayBufferWriter{T}"/> that remembers the largest size it was ever asked to hold.</summary>
internal sealed class CapacityTrackingWriter : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _inner = new();

    /// <summary>The most bytes (written plus asked for) that any GetSpan or GetMemory call required.</summary>
    public long LargestRequest { get; private set; }

    public int WrittenCount => _inner.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _inner.WrittenSpan;

    public void Advance(int count) => _inner.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Track(sizeHint);
        return _inner.GetMemory(sizeHint);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Track(sizeHint);
        return _inner.GetSpan(sizeHint);
    }

    private void Track(int sizeHint) =>
        LargestRequest = Math.Max(LargestRequest, (long)_inner.WrittenCount + Math.Max(sizeHint, 1));
}
