using System.Buffers;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>
/// One whole request frame (header and body, without the size prefix) in a buffer rented from
/// the shared pool; disposing returns it. Owned by one connection at a time; not thread-safe.
/// </summary>
public sealed class PooledFrame : IDisposable
{
    private byte[]? _buffer;

    internal PooledFrame(ReadOnlySpan<byte> bytes)
        : this(bytes.Length) => bytes.CopyTo(_buffer);

    internal PooledFrame(in ReadOnlySequence<byte> bytes)
        : this((int)bytes.Length) => bytes.CopyTo(_buffer);

    private PooledFrame(int length)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(length);
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(PooledFrame))).AsSpan(0, Length);

    public void Dispose()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
